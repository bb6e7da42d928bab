"""Register entries cannot be altered or removed, by the database itself (reg 20), on SQLite and on
PostgreSQL: whatever SQL is sent, only a new entry changes the register."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from candour.medicines.models import RegisterEntry
from tests.medicines.conftest import receive

REFUSED = pytest.raises(DatabaseError, match="append-only")


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_sql_update_of_a_register_entry_is_refused(station):
    entry = receive(station, 10)
    with REFUSED:
        _raw("UPDATE medicines_registerentry SET quantity = %s, change = %s WHERE id = %s", [1, 1, entry.pk])
    entry.refresh_from_db()
    assert (entry.quantity, entry.change, entry.balance_after) == (10, 10, 10)


def test_a_raw_sql_delete_of_a_register_entry_is_refused(station):
    entry = receive(station, 10)
    with REFUSED:
        _raw("DELETE FROM medicines_registerentry WHERE id = %s", [entry.pk])
    assert RegisterEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_save_over_or_delete_an_entry_either(station):
    entry = receive(station, 10)
    entry.quantity = 9
    with REFUSED, transaction.atomic():
        entry.save()
    with REFUSED, transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).delete()
    assert RegisterEntry.objects.get(pk=entry.pk).quantity == 10


def test_new_entries_are_still_written(station):
    receive(station, 10)
    receive(station, 5)
    assert list(station.safe_morphine.entries.values_list("sequence", "balance_after")) == [(1, 10), (2, 15)]
