"""Two people recording in one register part at the same moment: no entry is lost, no line number is
taken twice, and every balance adds up. Real concurrency needs PostgreSQL's row locks; SQLite lets one
writer at a time into the whole file, so these run on PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from candour.core.refusals import Refused
from candour.medicines import services
from candour.medicines.models import RegisterEntry
from tests.medicines.conftest import TODAY, receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def _together(*work) -> list:
    """Run each callable in its own thread and database connection, all starting at once; give back what
    each returned or raised."""
    start, results = threading.Barrier(len(work)), [None] * len(work)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # the test reads what each writer met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _administer_many(station, by, count):
    def work():
        for n in range(count):
            services.record_entry(
                by=by,
                premises=station.safe,
                drug=station.morphine,
                movement=services.Movement(
                    kind="administered",
                    quantity=1,
                    occurred_on=TODAY,
                    incident_reference=f"INC-{by.pk}-{n}",
                    authority="JRCALC",
                ),
            )
        return count

    return work


def test_two_writers_at_once_lose_no_entry_and_the_balance_adds_up(station):
    receive(station, 40)
    results = _together(
        _administer_many(station, station.paramedic, 15), _administer_many(station, station.colleague, 15)
    )
    assert results == [15, 15]
    lines = list(RegisterEntry.objects.filter(part=station.safe_morphine).order_by("sequence"))
    assert [line.sequence for line in lines] == list(range(1, 32))
    running = 0
    for line in lines:
        running += line.change
        assert line.balance_after == running
    assert services.balance_of(station.safe_morphine) == (10, 31)


def test_two_writers_taking_the_last_ampoule_at_once_cannot_both_have_it(station):
    receive(station, 1)
    results = _together(
        _administer_many(station, station.paramedic, 1), _administer_many(station, station.colleague, 1)
    )
    assert sorted(type(result).__name__ for result in results) == ["Refused", "int"]
    refusal = next(result for result in results if isinstance(result, Refused))
    assert "below zero" in refusal.message
    assert services.balance_of(station.safe_morphine) == (0, 2)


def _transfers(station, by, source, destination, count):
    def work():
        for _ in range(count):
            services.record_transfer(
                by=by,
                from_premises=source,
                to_premises=destination,
                drug=station.morphine,
                quantity_sent=1,
                quantity_received=1,
                occurred_on=TODAY,
                witness=station.lead,
            )
        return count

    return work


def test_transfers_both_ways_at_once_neither_deadlock_nor_lose_a_side(station):
    receive(station, 20)
    receive(station, 20, part=station.pouch_morphine)
    results = _together(
        _transfers(station, station.paramedic, station.safe, station.pouch, 10),
        _transfers(station, station.colleague, station.pouch, station.safe, 10),
    )
    assert results == [10, 10]
    assert services.balance_of(station.safe_morphine) == (20, 21)
    assert services.balance_of(station.pouch_morphine) == (20, 21)
