"""Stock by expiry: each receipt says its batch and expiry, what is left of each batch follows
first-expiry-first-out, and expired or soon-expiring stock is listed per premises and across the trust,
each row leading to its register. The append-only guard survives the migration that added the columns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from candour.core.refusals import Refused
from candour.medicines import lots, queries, services
from candour.medicines.queries import ExpiryStatus
from candour.people.roles import Role
from tests.medicines.conftest import TODAY, receive
from tests.medicines.test_registers import administer, transfer
from tests.support.factories import StationFactory, make_user

SOON = TODAY + dt.timedelta(days=30)
LATER = TODAY + dt.timedelta(days=400)
GONE = TODAY - dt.timedelta(days=3)


def left(part) -> dict[tuple, int]:
    return {(lot.batch, lot.expires_on): lot.quantity for lot in lots.lots_of([part.pk])}


def destroy(station, quantity, *, batch=""):
    return services.record_entry(
        by=station.paramedic,
        premises=station.safe,
        drug=station.morphine,
        movement=services.Movement(kind="destroyed", quantity=quantity, occurred_on=TODAY, batch=batch),
        witness=station.lead,
    )


def test_stock_leaves_in_the_order_it_expires_not_the_order_it_came(station):
    receive(station, 5, part=station.pouch_morphine, batch="LATE", expires_on=LATER)
    receive(station, 3, part=station.pouch_morphine, batch="SOON", expires_on=SOON)
    administer(station, 4)
    assert left(station.pouch_morphine) == {("LATE", LATER): 4}


def test_a_destruction_naming_a_batch_takes_that_batch(station):
    receive(station, 4, batch="OLD", expires_on=GONE)
    receive(station, 4, batch="NEW", expires_on=SOON)
    destroy(station, 2, batch="NEW")
    assert left(station.safe_morphine) == {("OLD", GONE): 4, ("NEW", SOON): 2}
    destroy(station, 4)
    assert left(station.safe_morphine) == {("NEW", SOON): 2}


def test_a_destruction_of_a_batch_not_held_is_refused_and_nothing_written(station):
    receive(station, 4, batch="OLD", expires_on=GONE)
    with pytest.raises(Refused) as refused:
        destroy(station, 1, batch="NOPE")
    assert refused.value.field == "batch" and "No stock of batch NOPE" in refused.value.message
    assert services.balance_of(station.safe_morphine) == (4, 1)


def test_a_transfer_carries_the_batch_that_expires_first(station):
    receive(station, 2, batch="SOON", expires_on=SOON)
    receive(station, 5, batch="LATE", expires_on=LATER)
    sent, arrived = transfer(station, 3)
    assert (sent.batch, sent.expires_on) == (arrived.batch, arrived.expires_on) == ("SOON", SOON)
    # The whole transfer counts as expiring with its first batch: the warning comes early, never late.
    assert left(station.pouch_morphine) == {("SOON", SOON): 3}
    assert left(station.safe_morphine) == {("LATE", LATER): 4}


def test_a_correction_of_a_receipt_adjusts_its_batch(station):
    receipt = receive(station, 10, batch="A", expires_on=SOON)
    receive(station, 5, batch="B", expires_on=LATER)
    services.record_correction(by=station.paramedic, entry=receipt, adjustment=-1, reason="Nine came")
    assert left(station.safe_morphine) == {("A", SOON): 9, ("B", LATER): 5}


def test_stock_whose_expiry_is_not_known_is_taken_last(station):
    receive(station, 5, part=station.pouch_morphine, batch="A", expires_on=LATER)
    given = administer(station, 2)
    services.record_correction(by=station.paramedic, entry=given, adjustment=1, reason="Only one given")
    administer(station, 1)
    assert left(station.pouch_morphine) == {("A", LATER): 2, ("", None): 1}


def test_once_the_balance_is_zero_only_later_stock_is_left(station):
    receive(station, 2, part=station.pouch_morphine, batch="A", expires_on=SOON)
    administer(station, 2)
    receive(station, 3, part=station.pouch_morphine, batch="B", expires_on=LATER)
    assert left(station.pouch_morphine) == {("B", LATER): 3}


def test_each_batch_held_at_premises_is_listed_with_its_status(station):
    receive(station, 1, batch="OLD", expires_on=GONE)
    receive(station, 2, batch="SOON", expires_on=SOON)
    receive(station, 3, part=station.safe_fentanyl, batch="LATE", expires_on=LATER)
    held = queries.stock_by_expiry(station.safe)
    assert [(each.batch, each.quantity, each.status) for each in held] == [
        ("OLD", 1, ExpiryStatus.EXPIRED),
        ("SOON", 2, ExpiryStatus.EXPIRING),
        ("LATE", 3, ExpiryStatus.IN_DATE),
    ]


def test_the_warning_period_is_a_setting(station, settings):
    receive(station, 2, batch="SOON", expires_on=SOON)
    settings.CANDOUR_CD_EXPIRY_WARNING_DAYS = 10
    assert [each.status for each in queries.stock_by_expiry(station.safe)] == [ExpiryStatus.IN_DATE]


def test_the_premises_page_lists_stock_by_expiry_each_leading_to_its_register(station, client_for):
    receive(station, 1, batch="OLD", expires_on=GONE)
    url = reverse("medicines:show_expiry", kwargs={"premises_id": station.safe.public_id})
    page = client_for(station.paramedic).get(url).content.decode()
    register = reverse(
        "medicines:show_register", kwargs={"register_part_id": station.safe_morphine.public_id}
    )
    assert "OLD" in page and "15 November 2026" in page and "Expired" in page
    assert f'href="{register}"' in page
    premises = reverse("medicines:show_premises", kwargs={"premises_id": station.safe.public_id})
    assert "1 expired" in client_for(station.paramedic).get(premises).content.decode()


def test_the_trust_list_shows_expired_and_expiring_stock_everywhere_the_reader_sees(station, client_for):
    receive(station, 1, batch="OLD", expires_on=GONE)
    receive(station, 2, part=station.pouch_morphine, batch="SOON", expires_on=SOON)
    receive(station, 3, part=station.safe_fentanyl, batch="LATE", expires_on=LATER)
    expiry = queries.expiring_for(station.lead)
    assert [(each.part, each.batch) for each in expiry.expired] == [(station.safe_morphine, "OLD")]
    assert [(each.part, each.batch) for each in expiry.expiring] == [(station.pouch_morphine, "SOON")]
    page = client_for(station.lead).get(reverse("medicines:list_expiring")).content.decode()
    assert "Expiring within 90 days" in page and "Pouch 7" in page and "LATE" not in page
    elsewhere = make_user(Role.STAFF, StationFactory())
    assert queries.expiring_for(elsewhere) == queries.ExpiryList(90, [], [])
    assert (
        client_for(make_user(Role.QUALITY_LEAD, station.unit))
        .get(reverse("medicines:list_expiring"))
        .status_code
        == 403
    )


def test_a_receipt_through_the_form_without_an_expiry_is_refused_by_name(station, client_for):
    url = reverse("medicines:record_entry", kwargs={"premises_id": station.safe.public_id})
    data = {
        "drug": str(station.morphine.public_id),
        "kind": "received",
        "quantity": "10",
        "party_name": "Northmoor pharmacy",
        "party_address": "1 Infirmary Road",
        "occurred_on_day": "18",
        "occurred_on_month": "11",
        "occurred_on_year": "2026",
    }
    page = client_for(station.paramedic).post(url, data).content.decode()
    assert "A receipt needs the expiry date printed on the pack" in page
    assert "A receipt needs the batch number printed on the pack" in page
    assert services.balance_of(station.safe_morphine) == (0, 0)


# The migration that added batch and expiry rebuilds the table on SQLite, which drops its triggers.

BEFORE = [("medicines", "0005_check_schedule_and_escalation")]
AFTER = [("medicines", "0006_batch_and_expiry")]


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_entries_stay_append_only_across_the_migration_both_ways(station):
    entry = receive(station, 4)
    try:
        for targets in (BEFORE, AFTER):
            _migrate(targets)
            refused = pytest.raises(DatabaseError, match="append-only")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE medicines_registerentry SET quantity = 1 WHERE id = %s", [entry.pk])
    finally:
        _migrate(_latest())


EXPIRIES = [None, GONE, SOON, LATER]


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-6, 6), st.sampled_from(["", "A", "B"]), st.sampled_from(EXPIRIES)), max_size=30
    )
)
def test_what_is_left_of_the_batches_always_adds_up_to_the_balance(steps):
    movements, balance = [], 0
    for change, batch, expires_on in steps:
        change = max(change, -balance)  # the register never goes below zero
        balance += change
        movements.append(lots.StockChange(change=change, batch=batch, expires_on=expires_on))
    left = lots.walk(movements)
    assert sum(left.values()) == balance and all(quantity > 0 for quantity in left.values())
