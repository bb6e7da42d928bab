"""The register rules, case by case: what each kind of entry must say, balances worked out from entries,
witnesses, late entries, transfers, corrections, and every bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.medicines import services
from candour.medicines.models import EntryKind, RegisterEntry
from candour.people.roles import Role
from tests.medicines.conftest import TODAY, receive
from tests.support.factories import StationFactory, make_user


def administer(station, quantity=1, *, part=None, by=None, **fields):
    part = part or station.pouch_morphine
    values = {"incident_reference": "INC-2026-000123", "authority": "JRCALC, paramedic", "dose": "5 mg"}
    values |= fields
    return services.record_entry(
        by=by or station.paramedic,
        premises=part.premises,
        drug=part.drug,
        movement=services.Movement(kind="administered", quantity=quantity, occurred_on=TODAY, **values),
    )


def waste(station, *, witness, quantity=0, dose="5 mg"):
    return services.record_entry(
        by=station.paramedic,
        premises=station.pouch,
        drug=station.morphine,
        movement=services.Movement(kind="wasted", quantity=quantity, occurred_on=TODAY, dose=dose),
        witness=witness,
    )


def transfer(station, sent=2, received=None, *, witness=None, to=None):
    return services.record_transfer(
        by=station.paramedic,
        from_premises=station.safe,
        to_premises=to or station.pouch,
        drug=station.morphine,
        quantity_sent=sent,
        quantity_received=sent if received is None else received,
        occurred_on=TODAY,
        witness=station.colleague if witness is None else witness,
    )


def in_the_safe(station, movement):
    """The paramedic records this movement of morphine in the station safe's register."""
    return services.record_entry(
        by=station.paramedic, premises=station.safe, drug=station.morphine, movement=movement
    )


def refused(call) -> Refused:
    """The refusal, having checked that nothing reached the register or the audit log."""
    entries, events = RegisterEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Refused) as caught:
        call()
    assert (RegisterEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)
    return caught.value


# Balances


def test_the_balance_is_worked_out_from_the_entries(station):
    receive(station, 10)
    transfer(station, 2)
    administer(station)
    assert services.balance_of(station.safe_morphine) == (8, 2)
    assert services.balance_of(station.pouch_morphine) == (1, 2)
    assert [e.balance_after for e in station.pouch_morphine.entries.all()] == [2, 1]


def test_a_negative_balance_is_refused_and_nothing_is_written(station):
    receive(station, 1)
    refusal = refused(lambda: transfer(station, 2))
    assert refusal.field == "quantity"
    assert "below zero" in refusal.message and "the balance is 1" in refusal.message
    assert services.balance_of(station.safe_morphine) == (1, 1)


def test_the_database_refuses_a_balance_below_zero_even_past_the_service(station):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(
            part=station.safe_morphine,
            sequence=1,
            kind=EntryKind.ADMINISTERED,
            occurred_on=TODAY,
            recorded_at=dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC),
            recorded_by=station.paramedic,
            quantity=1,
            change=-1,
            balance_after=-1,
        )


# What each entry must say (reg 19)


def test_a_receipt_records_who_supplied_it_and_from_where(station):
    entry = receive(station, 10)
    assert (entry.kind, entry.party_name, entry.party_address) == (
        "received",
        "Northmoor pharmacy",
        "1 Infirmary Road, Northmoor",
    )
    assert AuditEvent.objects.filter(
        action="recorded_register_entry", object_id=str(entry.public_id)
    ).exists()


def test_a_receipt_without_a_supplier_is_refused(station):
    movement = services.Movement(kind="received", quantity=10, occurred_on=TODAY)
    refusal = refused(lambda: in_the_safe(station, movement))
    assert {each.field for each in refusal.each} == {"party_name", "party_address", "batch", "expires_on"}


def test_an_administration_without_an_incident_reference_is_refused(station):
    receive(station, 2, part=station.pouch_morphine)
    refusal = refused(lambda: administer(station, incident_reference=" "))
    assert refusal.field == "incident_reference"
    assert "incident reference" in refusal.message


def test_a_supply_records_who_collected_it_and_whether_id_was_asked_for_and_shown(station):
    receive(station, 2)
    movement = services.Movement(
        kind="supplied",
        quantity=1,
        occurred_on=TODAY,
        incident_reference="INC-2026-000124",
        authority="Prescription by Dr A Shah",
        collected_by="J Smith, carer",
        id_requested=True,
        id_shown=False,
    )
    entry = in_the_safe(station, movement)
    assert (entry.collected_by, entry.id_requested, entry.id_shown) == ("J Smith, carer", True, False)


def test_a_supply_without_saying_whether_id_was_asked_for_is_refused(station):
    receive(station, 2)
    movement = services.Movement(
        kind="supplied",
        quantity=1,
        occurred_on=TODAY,
        incident_reference="INC-1",
        authority="Rx",
        collected_by="J",
    )
    refusal = refused(lambda: in_the_safe(station, movement))
    assert refusal.field == "id_requested"


def test_a_return_to_pharmacy_names_the_pharmacy(station):
    receive(station, 2)
    movement = services.Movement(kind="returned", quantity=2, occurred_on=TODAY)
    refusal = refused(lambda: in_the_safe(station, movement))
    assert refusal.field == "party_name"


def test_an_entry_for_a_drug_not_held_at_the_premises_is_refused(station):
    movement = services.Movement(
        kind="received",
        quantity=1,
        occurred_on=TODAY,
        party_name="Pharmacy",
        party_address="Road",
        batch="B1",
        expires_on=TODAY,
    )
    refusal = refused(
        lambda: services.record_entry(
            by=station.paramedic, premises=station.safe, drug=station.ketamine, movement=movement
        )
    )
    assert refusal.field == "drug"
    assert "Ashby safe does not hold Ketamine" in refusal.message


def test_a_quantity_of_none_is_refused(station):
    refusal = refused(lambda: receive(station, 0))
    assert refusal.field == "quantity"


def test_someone_who_does_not_keep_the_register_may_not_write_in_it(station):
    elsewhere = make_user(Role.STAFF, StationFactory())
    with pytest.raises(PermissionDenied):
        administer(station, by=elsewhere)


# Witnesses


def test_a_wastage_of_a_part_used_dose_is_witnessed_by_a_second_clinician(station):
    receive(station, 1, part=station.pouch_morphine)
    administer(station)
    entry = waste(station, witness=station.colleague)
    assert (entry.witness, entry.quantity, entry.dose) == (station.colleague, 0, "5 mg")
    assert entry.witness_confirmed_at is not None
    assert services.balance_of(station.pouch_morphine) == (0, 3)


def test_a_wastage_without_a_witness_is_refused(station):
    receive(station, 1, part=station.pouch_morphine)
    refusal = refused(lambda: waste(station, witness=None, quantity=1))
    assert refusal.field == "witness_email" and "needs a witness" in refusal.message


def test_a_witness_who_is_the_recorder_is_refused(station):
    receive(station, 1, part=station.pouch_morphine)
    refusal = refused(lambda: waste(station, witness=station.paramedic, quantity=1))
    assert "not the person recording" in refusal.message


def test_a_witness_without_the_authority_to_witness_is_refused(station):
    receive(station, 1, part=station.pouch_morphine)
    refusal = refused(lambda: waste(station, witness=station.apprentice, quantity=1))
    assert "does not have the authority" in refusal.message


def test_a_witness_from_another_trust_has_no_authority_here(station):
    receive(station, 1, part=station.pouch_morphine)
    stranger = make_user(Role.STAFF, StationFactory())
    refusal = refused(lambda: waste(station, witness=stranger, quantity=1))
    assert "does not have the authority" in refusal.message


def _destroy(station, witness):
    return services.record_entry(
        by=station.paramedic,
        premises=station.safe,
        drug=station.morphine,
        movement=services.Movement(
            kind="destroyed", quantity=2, occurred_on=TODAY, remarks="Expired 10/2026"
        ),
        witness=witness,
    )


def test_destruction_needs_an_authorised_witness_not_just_a_colleague(station):
    receive(station, 2)
    refusal = refused(lambda: _destroy(station, station.colleague))
    assert "authorised witness to destruction" in refusal.message
    entry = _destroy(station, station.officer)
    assert (entry.kind, entry.witness, entry.balance_after) == ("destroyed", station.officer, 0)


# Transfers


def test_a_transfer_writes_both_sides_together(station):
    receive(station, 5)
    sent, received = transfer(station, 2)
    assert (sent.part, sent.change, sent.other_premises) == (station.safe_morphine, -2, station.pouch)
    assert (received.part, received.change, received.other_premises) == (
        station.pouch_morphine,
        2,
        station.safe,
    )
    assert sent.transfer_id == received.transfer_id and sent.witness == station.colleague


def test_a_transfer_whose_two_sides_disagree_is_refused(station):
    receive(station, 5)
    refusal = refused(lambda: transfer(station, 2, 1))
    assert refusal.field == "quantity_received"
    assert "disagree: 2 sent from Ashby safe but 1 received at Pouch 7" in refusal.message


def test_a_transfer_to_premises_that_do_not_hold_the_drug_is_refused_and_neither_side_is_written(station):
    receive(station, 5, part=station.safe_fentanyl)
    refusal = refused(
        lambda: services.record_transfer(
            by=station.paramedic,
            from_premises=station.safe,
            to_premises=station.pouch,
            drug=station.fentanyl,
            quantity_sent=1,
            quantity_received=1,
            occurred_on=TODAY,
            witness=station.colleague,
        )
    )
    assert refusal.field == "to_premises" and "Pouch 7 does not hold Fentanyl" in refusal.message


def test_a_transfer_needs_a_witness(station):
    receive(station, 5)
    refusal = refused(
        lambda: services.record_transfer(
            by=station.paramedic,
            from_premises=station.safe,
            to_premises=station.pouch,
            drug=station.morphine,
            quantity_sent=1,
            quantity_received=1,
            occurred_on=TODAY,
            witness=None,
        )
    )
    assert "A transfer needs a witness" in refusal.message


# Late entries


def test_an_entry_for_today_is_not_late(station):
    assert receive(station, 1).is_late is False


def test_a_late_entry_needs_a_reason(station):
    movement = services.Movement(
        kind="received",
        quantity=1,
        occurred_on=TODAY - dt.timedelta(days=1),
        party_name="P",
        party_address="R",
        batch="B1",
        expires_on=TODAY,
    )
    refusal = refused(lambda: in_the_safe(station, movement))
    assert refusal.field == "late_reason" and "17 November 2026, not today" in refusal.message


def test_a_late_entry_with_a_reason_is_written_and_flagged(station):
    entry = receive(station, 1, on=TODAY - dt.timedelta(days=2))
    assert entry.is_late and entry.late_reason == "Delivered after the shift ended"


def test_an_entry_dated_in_the_future_is_refused(station):
    refusal = refused(lambda: receive(station, 1, on=TODAY + dt.timedelta(days=1)))
    assert refusal.field == "occurred_on"


# Corrections


def test_a_correction_is_a_new_entry_that_refers_to_the_one_it_corrects(station):
    wrong = receive(station, 10)
    correction = services.record_correction(
        by=station.colleague, entry=wrong, adjustment=-1, reason="Nine ampoules arrived, not ten"
    )
    wrong.refresh_from_db()
    assert (wrong.quantity, wrong.balance_after) == (10, 10)
    assert (correction.kind, correction.corrects, correction.change, correction.balance_after) == (
        "correction",
        wrong,
        -1,
        9,
    )
    assert list(wrong.corrections.all()) == [correction]


def test_a_correction_without_a_reason_is_refused(station):
    wrong = receive(station, 10)
    refusal = refused(
        lambda: services.record_correction(by=station.colleague, entry=wrong, adjustment=0, reason="")
    )
    assert refusal.field == "reason"


def test_a_correction_cannot_take_the_balance_below_zero(station):
    wrong = receive(station, 1)
    refusal = refused(
        lambda: services.record_correction(by=station.colleague, entry=wrong, adjustment=-2, reason="x")
    )
    assert "below zero" in refusal.message


def test_premises_belong_to_a_station_or_an_area_not_the_whole_trust(station):
    refusal = refused(
        lambda: services.create_premises(
            by=station.lead, unit=station.unit.parent.parent, kind="hub", name="Trust hub"
        )
    )
    assert refusal.field == "unit"
