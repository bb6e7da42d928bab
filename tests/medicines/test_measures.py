"""The medicines app's measure: controlled drug administrations matched to patient records."""

from __future__ import annotations

import datetime as dt
import io

from candour.core import measures
from candour.core.measures import Period
from candour.medicines import services
from candour.medicines.importers import import_patient_record_medicines
from tests.medicines.conftest import receive

KEY = "medicines.administrations_matched_share"
NOVEMBER = Period.month(2026, 11)
DAY = dt.date(2026, 11, 9)


def _administer(station, number: int) -> None:
    services.record_entry(
        by=station.paramedic,
        premises=station.pouch,
        drug=station.morphine,
        movement=services.Movement(
            kind="administered",
            quantity=1,
            occurred_on=DAY,
            incident_reference=f"INC-{number}",
            authority="JRCALC",
            dose="10 mg",
            late_reason="Entered after the shift",
        ),
    )


def _records(station, numbers) -> None:
    rows = [
        f"INC-{number},Morphine sulfate,10 mg,1,2026-11-09T11:00,{station.paramedic.person.staff_number},N"
        for number in numbers
    ]
    file = io.BytesIO(
        "\n".join(
            ["incident_reference,drug,dose,quantity,given_at,clinician_staff_number,wasted", *rows]
        ).encode()
    )
    import_patient_record_medicines(by=None, file=file)


def test_the_share_of_administrations_matched_to_patient_records(station):
    receive(station, 10, part=station.pouch_morphine, on=DAY - dt.timedelta(days=1))
    for number in range(8):
        _administer(station, number)
    _records(station, range(6))

    value = measures.get(KEY).value_for(station.unit, NOVEMBER)

    assert (value.value, value.numerator, value.denominator) == (75.0, 6, 8)


def test_too_few_administrations_checked_give_no_value(station):
    receive(station, 10, part=station.pouch_morphine, on=DAY - dt.timedelta(days=1))
    for number in range(3):
        _administer(station, number)
    _records(station, range(3))

    value = measures.get(KEY).value_for(station.unit.parent, NOVEMBER)

    assert (value.value, value.denominator) == (None, 3)


def test_before_any_export_there_is_no_value(station):
    receive(station, 10, part=station.pouch_morphine, on=DAY - dt.timedelta(days=1))
    _administer(station, 1)

    assert measures.get(KEY).value_for(station.unit, NOVEMBER).value is None
