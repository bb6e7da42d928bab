"""Completeness by crew member: for the clinical audit lead across the trust and a line manager for their own
station only, never for colleagues; small counts hidden; every figure leads to the records it counts."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from candour.people.roles import Role
from candour.records.models import Medium, PatientRecord, RecordAuthor
from tests.support.factories import make_user

IN_NOVEMBER = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
PAGE = reverse("records:show_crew_completeness")
LIST = reverse("records:list_crew_records")


def record(number, station, authors, *, complete=True, status="final", started=IN_NOVEMBER):
    made = PatientRecord.objects.create(
        record_id=f"R{number}",
        incident_reference=f"INC-{number}",
        status=status,
        started_at=started,
        finalised_at=None if status == "draft" else started,
        authors=authors,
        station=station,
        medium=Medium.ELECTRONIC,
        complete=complete,
    )
    RecordAuthor.objects.bulk_create(
        RecordAuthor(record_reference=made.record_id, staff_number=a) for a in authors
    )
    return made


@pytest.fixture
def crews(records_trust):
    """November at North: the paramedic (P100) wrote 8 records, 3 missing an element, 6 of them with the
    crewmate (P101); a draft too. At South, 6 complete records by someone Candour does not know (X900)."""
    north, south = records_trust.north, records_trust.south
    for number in range(8):
        authors = ["P100", "P101"] if number < 6 else ["P100"]
        record(number, north, authors, complete=number >= 3)
    record(50, north, ["P100"], complete=False, status="draft")
    for number in range(10, 16):
        record(number, south, ["X900"])
    return records_trust


@pytest.fixture
def on_december():
    with time_machine.travel(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC), tick=False):
        yield


def _text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_clinical_audit_lead_sees_each_crew_members_records_and_gaps(client, crews, on_december):
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, crews.trust))
    with override_settings(CANDOUR_SMALL_NUMBER_THRESHOLD=3):
        page = _text(client.get(PAGE, {"month": "2026-11"}))

    assert page.count("data-counted-row") == 3
    assert f"{crews.paramedic.full_name} (P100)" in page
    assert 'staff=P100&amp;incomplete=1">3</a>' in page
    assert 'staff=P100">8</a>' in page and "62%" in page
    assert 'staff=P101">6</a>' in page and 'staff=P101&amp;incomplete=1">3</a>' in page
    assert "Staff number X900 (not known to Candour)" in page


def test_a_line_manager_sees_their_own_station_only(client, crews, on_december):
    client.force_login(make_user(Role.LINE_MANAGER, crews.north))
    with override_settings(CANDOUR_SMALL_NUMBER_THRESHOLD=3):
        page = _text(client.get(PAGE, {"month": "2026-11"}))
        assert "X900" not in page and "P100" in page
        assert "No records." in _text(client.get(LIST, {"month": "2026-11", "staff": "X900"}))


def test_small_counts_are_hidden_per_crew_member(client, crews, on_december):
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, crews.trust))
    with override_settings(CANDOUR_SMALL_NUMBER_THRESHOLD=5):
        page = _text(client.get(PAGE, {"month": "2026-11"}))

    # P100: 8 records, 3 missing (small), so the gap and the share are hidden; 8 is shown.
    assert 'staff=P100">8</a>' in page and "staff=P100&amp;incomplete=1" not in page
    # X900: 6 records, none missing, 6 complete: nothing small.
    assert 'staff=X900&amp;incomplete=1">0</a>' in page


def test_each_figure_leads_to_the_records_it_counts(client, crews, on_december):
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, crews.trust))

    every = _text(client.get(LIST, {"month": "2026-11", "staff": "P100"}))
    gaps = _text(client.get(LIST, {"month": "2026-11", "staff": "P100", "incomplete": "1"}))

    assert every.count("data-counted-row") == 8 and "R50" not in every
    assert gaps.count("data-counted-row") == 3
    assert (
        reverse(
            "records:show_record", kwargs={"record_id": PatientRecord.objects.get(record_id="R0").public_id}
        )
        in every
    )


def test_a_line_manager_sees_the_records_but_cannot_open_them(client, crews, on_december):
    client.force_login(make_user(Role.LINE_MANAGER, crews.north))
    listed = _text(client.get(LIST, {"month": "2026-11", "staff": "P100"}))
    assert (
        listed.count("data-counted-row") == 8 and "/records/" not in listed.split("<main")[1].split("Back")[0]
    )
    assert "R0" in listed


def test_colleagues_and_other_leads_are_refused(client, crews):
    for user in (make_user(Role.STAFF, crews.north), make_user(Role.QUALITY_LEAD, crews.trust)):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.get(LIST, {"staff": "P100"}).status_code == 403


def test_without_a_staff_number_the_list_leads_back_to_the_page(client, crews):
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD, crews.trust))
    response = client.get(LIST)
    assert response.status_code == 302 and response.url == PAGE
