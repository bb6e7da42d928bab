"""The registers reconciled with patient records: the ePCR medicines export imported (all or nothing, the
same file twice changing nothing), each dose matched with the register line that records it, unmatched
administrations listed per clinician, and each clinician's wastage and unmatched doses beside their peers'
for the accountable officer alone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.medicines import queries, services
from candour.medicines.importers import import_patient_record_medicines
from candour.medicines.models import PatientRecordMedicine, RegisterEntry
from candour.medicines.queries.reconciliation import compare
from candour.people.roles import Role
from tests.medicines.conftest import TODAY, receive
from tests.support.factories import make_user

HEADER = "incident_reference,drug,dose,quantity,given_at,clinician_staff_number,wasted"
YESTERDAY = TODAY - dt.timedelta(days=1)
LONG_AGO = TODAY - dt.timedelta(days=10)


def _csv(*rows: str) -> io.BytesIO:
    file = io.BytesIO("\n".join([HEADER, *rows]).encode())
    file.name = "epcr-medicines.csv"
    return file


def _give(station, by, incident: str, *, on=LONG_AGO, kind="administered"):
    """A dose given (or wasted) from the pouch, recorded late by `by`."""
    witness = station.colleague if by != station.colleague else station.paramedic
    return services.record_entry(
        by=by,
        premises=station.pouch,
        drug=station.morphine,
        movement=services.Movement(
            kind=kind,
            quantity=1,
            occurred_on=on,
            incident_reference=incident,
            authority="JRCALC" if kind == "administered" else "",
            dose="10 mg",
            late_reason="Entered after the shift" if on != TODAY else "",
        ),
        witness=witness if kind == "wasted" else None,
    )


@pytest.fixture
def stocked(station):
    receive(station, 30, part=station.pouch_morphine, on=LONG_AGO - dt.timedelta(days=1))
    return station


def _row(station, by, incident, *, at=None, wasted="N", drug="Morphine sulfate"):
    at = at or dt.datetime.combine(LONG_AGO, dt.time(14, 5))
    return f"{incident},{drug},10 mg,1,{at:%Y-%m-%dT%H:%M},{by.person.staff_number},{wasted}"


def test_a_good_export_is_imported_and_each_dose_matched_with_its_register_line(stocked):
    given = _give(stocked, stocked.paramedic, "INC-1")
    wasted = _give(stocked, stocked.paramedic, "INC-1", kind="wasted")

    result = import_patient_record_medicines(
        by=None,
        file=_csv(
            _row(stocked, stocked.paramedic, "INC-1"), _row(stocked, stocked.paramedic, "INC-1", wasted="Y")
        ),
    )

    assert result.ok and result.created == 2
    assert PatientRecordMedicine.objects.get(wasted=False).matched_entry == given
    assert PatientRecordMedicine.objects.get(wasted=True).matched_entry == wasted


def test_bad_rows_are_named_by_line_and_nothing_is_written(stocked):
    result = import_patient_record_medicines(
        by=None,
        file=_csv(
            _row(stocked, stocked.paramedic, "INC-1"),
            "INC-2,Morphine sulfate,10 mg,two,2026-11-08T10:00,N1,N",
            "INC-3,Morphine sulfate,10 mg,1,2026-11-08,N1,N",
            "INC-4,Morphine sulfate,10 mg,1,2026-11-08T10:00,N1,maybe",
            "INC-5,Morphine sulfate,10 mg,1,2027-01-01T10:00,N1,N",
        ),
    )

    assert not result.ok
    assert [(error.line, error.column) for error in result.errors] == [
        (3, "quantity"),
        (4, "given_at"),
        (5, "wasted"),
        (6, "given_at"),
    ]
    assert "'two' is not a whole number" in str(result.errors[0])
    assert not PatientRecordMedicine.objects.exists()


def test_the_same_export_twice_changes_nothing(stocked):
    _give(stocked, stocked.paramedic, "INC-1")
    rows = (_row(stocked, stocked.paramedic, "INC-1"), _row(stocked, stocked.colleague, "INC-9"))
    import_patient_record_medicines(by=None, file=_csv(*rows))
    before = list(PatientRecordMedicine.objects.values_list("pk", "matched_entry", "updated_at"))

    again = import_patient_record_medicines(by=None, file=_csv(*rows))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(PatientRecordMedicine.objects.values_list("pk", "matched_entry", "updated_at")) == before


def test_a_dose_by_another_clinician_of_another_drug_or_out_of_time_is_not_matched(stocked):
    _give(stocked, stocked.paramedic, "INC-1")
    too_late = dt.datetime.combine(LONG_AGO + dt.timedelta(days=1), dt.time(13))

    import_patient_record_medicines(
        by=None,
        file=_csv(
            _row(stocked, stocked.colleague, "INC-1"),
            _row(stocked, stocked.paramedic, "INC-1", drug="Fentanyl"),
            _row(stocked, stocked.paramedic, "INC-1", at=too_late),
            _row(stocked, stocked.paramedic, "INC-1", wasted="Y"),
        ),
    )

    assert not PatientRecordMedicine.objects.filter(matched_entry__isnull=False).exists()


def test_a_dose_given_just_after_midnight_matches_the_line_dated_the_day_before(stocked):
    given = _give(stocked, stocked.paramedic, "INC-1")
    after_midnight = dt.datetime.combine(LONG_AGO + dt.timedelta(days=1), dt.time(2, 30))

    import_patient_record_medicines(
        by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-1", at=after_midnight))
    )

    assert PatientRecordMedicine.objects.get().matched_entry == given


def test_a_line_written_after_its_record_came_is_matched_by_the_next_import(stocked):
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-1")))
    given = _give(stocked, stocked.paramedic, "INC-1")

    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.colleague, "INC-7")))

    assert PatientRecordMedicine.objects.get(incident_reference="INC-1").matched_entry == given


def test_the_command_imports_a_file_and_fails_loudly_on_a_bad_one(stocked, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("\n".join([HEADER, _row(stocked, stocked.paramedic, "INC-1")]))
    bad.write_text("\n".join([HEADER, "INC-2,Morphine sulfate,10 mg,0,2026-11-08T10:00,N1,N"]))
    out = io.StringIO()

    call_command("import_epcr_medicines", str(good), stdout=out)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_epcr_medicines", str(bad), stderr=io.StringIO())

    assert "1 created" in out.getvalue()
    assert PatientRecordMedicine.objects.count() == 1


def test_unmatched_administrations_are_exceptions_per_clinician_after_the_grace_days(stocked):
    matched = _give(stocked, stocked.paramedic, "INC-1")
    unmatched = _give(stocked, stocked.paramedic, "INC-2")
    _give(stocked, stocked.colleague, "INC-3", on=YESTERDAY)  # the export has not had its days yet
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-1")))

    reconciliation = queries.reconciliation_for(stocked.lead)
    page = queries.exceptions_of(stocked.lead, stocked.paramedic.public_id)

    assert [(each.clinician, each.unmatched) for each in reconciliation.clinicians] == [
        (stocked.paramedic, 1)
    ]
    assert (reconciliation.checked, reconciliation.matched) == (2, 1)
    assert page.unmatched == [unmatched]
    assert matched not in page.unmatched


def test_before_any_export_no_administration_is_an_exception(stocked):
    _give(stocked, stocked.paramedic, "INC-1")

    reconciliation = queries.reconciliation_for(stocked.officer)

    assert reconciliation.window.first is None
    assert (reconciliation.checked, reconciliation.clinicians) == (0, [])


@pytest.mark.parametrize(
    ("role", "at", "exceptions", "patterns"),
    [
        (Role.CD_ACCOUNTABLE_OFFICER, "trust", 200, 200),
        (Role.MEDICINES_LEAD, "trust", 200, 403),
        (Role.STAFF, "station", 403, 403),
        (Role.QUALITY_LEAD, "trust", 403, 403),
    ],
)
def test_who_sees_the_exceptions_and_the_patterns(stocked, client_for, role, at, exceptions, patterns):
    _give(stocked, stocked.paramedic, "INC-2")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.colleague, "INC-9")))
    unit = stocked.unit if at == "station" else stocked.unit.parent.parent
    client = client_for(make_user(role, unit))
    clinician = reverse(
        "medicines:show_clinician_exceptions", kwargs={"clinician_id": stocked.paramedic.public_id}
    )

    assert client.get(reverse("medicines:list_reconciliation")).status_code == exceptions
    assert client.get(clinician).status_code == exceptions
    assert client.get(reverse("medicines:show_patterns")).status_code == patterns


def test_the_exceptions_page_names_each_unmatched_administration(stocked, client_for):
    _give(stocked, stocked.paramedic, "INC-2")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.colleague, "INC-9")))
    client = client_for(stocked.lead)

    listing = client.get(reverse("medicines:list_reconciliation")).content.decode()
    page = client.get(
        reverse("medicines:show_clinician_exceptions", kwargs={"clinician_id": stocked.paramedic.public_id})
    ).content.decode()

    assert stocked.paramedic.display_name in listing
    assert "INC-2" in page


def test_a_clinician_outside_the_readers_trust_is_not_found(stocked, client_for):
    _give(stocked, stocked.paramedic, "INC-2")
    elsewhere = make_user(Role.MEDICINES_LEAD)

    response = client_for(elsewhere).get(
        reverse("medicines:show_clinician_exceptions", kwargs={"clinician_id": stocked.paramedic.public_id})
    )

    assert response.status_code == 404


def test_one_clinicians_wastage_far_above_their_peers_is_flagged_for_the_officer(stocked, client_for):
    receive(stocked, 30, part=stocked.pouch_morphine)
    peers = [make_user(Role.STAFF, stocked.unit) for _ in range(3)]
    for number, peer in enumerate(peers):
        for dose in range(10):
            _give(stocked, peer, f"P{number}-{dose}", on=TODAY)
    for dose in range(6):
        _give(stocked, stocked.paramedic, f"W-{dose}", on=TODAY)
        _give(stocked, stocked.paramedic, f"W-{dose}", on=TODAY, kind="wasted")

    patterns = queries.patterns_for(stocked.officer)
    page = client_for(stocked.officer).get(reverse("medicines:show_patterns")).content.decode()

    flagged = [each.clinician for each in patterns.clinicians if each.flagged]
    assert flagged == [stocked.paramedic]
    assert "Far above peers" in page


def test_a_clinician_with_fewer_doses_than_the_small_number_threshold_is_not_compared():
    with override_settings(CANDOUR_SMALL_NUMBER_THRESHOLD=5):
        few = compare(3, 4, 10, 200)
        enough = compare(3, 5, 10, 200)

    assert not few.compared and not few.far_above
    assert enough.compared and enough.far_above
    assert enough.peers == pytest.approx(7 / 195)


def _correct_reference(station, line, reference):
    return services.record_correction(
        by=station.colleague,
        entry=line,
        adjustment=0,
        reason="Incident reference mistyped; the right one is on the patient record",
        incident_reference=reference,
    )


def test_a_corrected_incident_reference_is_matched_with_the_record_of_that_incident(stocked):
    mistyped = _give(stocked, stocked.paramedic, "INC-17")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-71")))
    assert not PatientRecordMedicine.objects.get().matched_entry

    _correct_reference(stocked, mistyped, "INC-71")

    assert PatientRecordMedicine.objects.get().matched_entry == mistyped
    assert queries.reconciliation_for(stocked.lead).clinicians == []
    assert RegisterEntry.objects.get(pk=mistyped.pk).incident_reference == "INC-17"  # the line stands


def test_the_match_by_the_old_reference_no_longer_counts_once_the_reference_is_corrected(stocked):
    line = _give(stocked, stocked.paramedic, "INC-1")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-1")))
    assert PatientRecordMedicine.objects.get().matched_entry == line

    _correct_reference(stocked, line, "INC-2")

    assert PatientRecordMedicine.objects.get().matched_entry is None
    assert queries.exceptions_of(stocked.lead, stocked.paramedic.public_id).unmatched == [line]
    audited = AuditEvent.objects.filter(action="recorded_register_entry").first()
    assert audited.changes["patient_record_matches_undone"] == 1
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-2")))
    assert PatientRecordMedicine.objects.get(incident_reference="INC-2").matched_entry == line


def test_the_latest_correction_of_a_reference_is_the_one_matched(stocked):
    line = _give(stocked, stocked.paramedic, "INC-1")
    _correct_reference(stocked, line, "INC-2")
    _correct_reference(stocked, line, "INC-3")

    import_patient_record_medicines(
        by=None,
        file=_csv(_row(stocked, stocked.paramedic, "INC-2"), _row(stocked, stocked.paramedic, "INC-3")),
    )

    assert PatientRecordMedicine.objects.get(incident_reference="INC-3").matched_entry == line
    assert PatientRecordMedicine.objects.get(incident_reference="INC-2").matched_entry is None


def test_a_reference_correction_of_a_line_that_names_no_incident_or_the_same_one_is_refused(stocked):
    receipt = RegisterEntry.objects.get(kind="received")
    given = _give(stocked, stocked.paramedic, "INC-1")
    before = RegisterEntry.objects.count()

    with pytest.raises(Refused, match="name no incident"):
        _correct_reference(stocked, receipt, "INC-9")
    with pytest.raises(Refused, match="already this line's incident reference"):
        _correct_reference(stocked, given, "INC-1")

    assert RegisterEntry.objects.count() == before


def test_a_reference_corrected_through_the_form_moves_the_match(stocked, client_for):
    line = _give(stocked, stocked.paramedic, "INC-17")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-71")))
    url = reverse("medicines:correct_entry", kwargs={"register_entry_id": line.public_id})
    client = client_for(stocked.colleague)

    assert "The right incident reference" in client.get(url).content.decode()
    response = client.post(
        url, {"adjustment": "0", "reason": "Mistyped reference", "incident_reference": "INC-71"}
    )
    page = client.get(
        reverse("medicines:show_register", kwargs={"register_part_id": stocked.pouch_morphine.public_id})
    ).content.decode()

    assert response.status_code == 302
    assert PatientRecordMedicine.objects.get().matched_entry == line
    assert "incident reference now INC-71" in page


def test_one_wasted_dose_is_not_far_above_peers_who_waste_almost_none():
    one = compare(1, 10, 1, 410)

    assert one.compared and not one.far_above
    assert one.upper >= 0.1  # the limit does not collapse onto the peers' rate of 0


def test_a_count_above_the_limit_but_below_the_pattern_minimum_is_not_flagged():
    with override_settings(CANDOUR_CD_PATTERN_MINIMUM_EVENTS=3):
        two = compare(2, 10, 2, 410)
    with override_settings(CANDOUR_CD_PATTERN_MINIMUM_EVENTS=2):
        two_allowed = compare(2, 10, 2, 410)

    assert two.rate > two.upper and two.too_few_events and not two.far_above
    assert two_allowed.far_above


def test_a_clinician_wasting_a_quarter_of_doses_beside_peers_near_zero_is_far_above():
    high = compare(5, 20, 8, 420)
    usual = compare(1, 20, 4, 420)

    assert high.far_above
    assert high.peers == pytest.approx(3 / 400)
    assert not usual.far_above


def test_a_single_wastage_among_peers_with_none_is_not_flagged_on_the_page(stocked, client_for):
    receive(stocked, 30, part=stocked.pouch_morphine)
    peers = [make_user(Role.STAFF, stocked.unit) for _ in range(3)]
    for number, peer in enumerate(peers):
        for dose in range(10):
            _give(stocked, peer, f"P{number}-{dose}", on=TODAY)
    for dose in range(6):
        _give(stocked, stocked.paramedic, f"W-{dose}", on=TODAY)
    _give(stocked, stocked.paramedic, "W-0", on=TODAY, kind="wasted")

    patterns = queries.patterns_for(stocked.officer)
    page = client_for(stocked.officer).get(reverse("medicines:show_patterns")).content.decode()

    assert not [each for each in patterns.clinicians if each.flagged]
    assert "Far above peers" not in page


def test_register_lines_are_never_changed_by_matching(stocked):
    given = _give(stocked, stocked.paramedic, "INC-1")
    import_patient_record_medicines(by=None, file=_csv(_row(stocked, stocked.paramedic, "INC-1")))

    assert RegisterEntry.objects.get(pk=given.pk).balance_after == given.balance_after
    assert RegisterEntry.objects.get(pk=given.pk).patient_record.incident_reference == "INC-1"
