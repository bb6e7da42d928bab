"""A clinician's own records: their completeness by element and their drafts, the reviews a clinical audit
lead sends them and their acknowledgement, and nobody else's named figures on their page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.people.roles import Role
from candour.records import queries, services
from candour.records.importers import import_record_index
from candour.records.models import PatientRecord, RecordAuthor, RecordReview
from tests.records.conftest import ALL_ELEMENTS, INDEX, csv_file
from tests.support.factories import MembershipFactory, UserFactory, make_user

ALL = ALL_ELEMENTS
NO_PAIN = ALL.replace("pain_score;", "")
ROWS = (
    f"M1,INC-1,,final,2026-11-05T10:00,2026-11-05T12:00,P100;P101,NTH,electronic,,{ALL},,",
    f"M2,INC-2,,final,2026-11-06T10:00,2026-11-06T12:00,P100,NTH,electronic,,{NO_PAIN},,",
    "M3,INC-3,,draft,2026-11-07T10:00,,P100,NTH,electronic,,news2,,",
    f"M4,INC-4,,final,2026-11-08T10:00,2026-11-08T12:00,P101,NTH,electronic,,{NO_PAIN},,",
)


@pytest.fixture
def clinic(records_trust):
    """The paramedic (P100) and crewmate (P101) signed in as staff; four records between them in November
    2026, and the clinical audit lead."""
    with time_machine.travel("2026-12-02T09:00Z", tick=False):
        assert import_record_index(by=None, file=csv_file(INDEX, *ROWS)).ok
    paramedic = UserFactory(person=records_trust.paramedic)
    MembershipFactory(user=paramedic, unit=records_trust.north)
    crewmate = UserFactory(person=records_trust.crewmate)
    MembershipFactory(user=crewmate, unit=records_trust.north)
    return {
        "paramedic": paramedic,
        "crewmate": crewmate,
        "audit_lead": make_user(Role.CLINICAL_AUDIT_LEAD, records_trust.trust),
        "trust": records_trust,
    }


def _review(clinic, record_id="M2", to="paramedic"):
    return services.send_review(
        by=clinic["audit_lead"],
        record=PatientRecord.objects.get(record_id=record_id),
        clinician=clinic[to].person,
        missing=["pain_score"],
        why="A pain score before and after analgesia shows whether it worked.",
    )


def test_the_index_keeps_each_records_authors_as_rows_and_replaces_them_when_they_change(clinic):
    def authors():
        return sorted(
            RecordAuthor.objects.filter(record_reference="M1").values_list("staff_number", flat=True)
        )

    assert authors() == ["P100", "P101"]
    changed = ROWS[0].replace("P100;P101", "P101")
    with time_machine.travel("2026-12-02T09:00Z", tick=False):
        assert import_record_index(by=None, file=csv_file(INDEX, changed)).ok

    assert authors() == ["P101"]


def test_a_clinicians_month_counts_only_their_own_finished_records_by_element(clinic):
    mine = queries.my_records(clinic["paramedic"].person, queries.month_starting("2026-11", _today()))

    assert (mine.records, mine.incomplete, mine.drafts) == (2, 1, 1)
    pain = next(row for row in mine.elements if row.code == "pain_score")
    assert (pain.measured, pain.missing, pain.share_present) == (2, 1, 50)


def test_every_number_on_my_records_leads_to_exactly_those_records(client, clinic):
    client.force_login(clinic["paramedic"])
    base = reverse("records:list_my_records")

    def rows(query):
        page = client.get(f"{base}?{query}").content.decode()
        return page.count("data-counted-row"), page

    assert rows("month=2026-11")[0] == 2
    count, page = rows("month=2026-11&show=incomplete")
    assert count == 1 and "M2" in page
    count, page = rows("month=2026-11&missing=pain_score")
    assert count == 1 and "M2" in page
    count, page = rows("show=drafts")
    assert count == 1 and "M3" in page
    assert rows("month=2026-11&missing=not_an_element")[0] == 0


def test_my_records_shows_no_colleagues_records_or_names(client, clinic):
    client.force_login(clinic["paramedic"])

    page = client.get(reverse("records:show_my_records") + "?month=2026-11").content.decode()
    listed = client.get(reverse("records:list_my_records") + "?month=2026-11").content.decode()

    crewmate = clinic["crewmate"].person
    assert "M4" not in listed and "M1" in listed
    for text in (page, listed):
        assert crewmate.full_name not in text and crewmate.staff_number not in text


def test_a_clinical_audit_lead_sends_a_review_from_the_records_page_and_it_is_audited(client, clinic):
    record = PatientRecord.objects.get(record_id="M2")
    client.force_login(clinic["audit_lead"])
    assert (
        "Send an author a review"
        in client.get(reverse("records:show_record", kwargs={"record_id": record.public_id})).content.decode()
    )
    url = reverse("records:send_record_review", kwargs={"record_id": record.public_id})

    response = client.post(
        url,
        {
            "clinician": str(clinic["paramedic"].person.public_id),
            "missing": ["pain_score"],
            "why": "A pain score before and after analgesia shows whether it worked.",
        },
    )

    assert response.status_code == 302
    review = RecordReview.objects.get()
    assert review.clinician == clinic["paramedic"].person and review.missing == ["pain_score"]
    assert review.why.startswith("A pain score")
    event = AuditEvent.objects.get(action="sent_record_review")
    assert event.changes["missing"] == ["pain_score"] and "analgesia" not in str(event.changes)


def test_a_review_needs_an_author_a_missing_element_and_why(client, clinic):
    record = PatientRecord.objects.get(record_id="M2")
    client.force_login(clinic["audit_lead"])
    url = reverse("records:send_record_review", kwargs={"record_id": record.public_id})

    page = client.post(url, {"why": ""}).content.decode()

    assert "Select who the review is for" in page and "Select at least one element" in page
    assert "Enter why it matters" in page
    assert not RecordReview.objects.exists()


def test_a_review_goes_only_to_an_author_about_an_element_the_record_missed(clinic):
    record = PatientRecord.objects.get(record_id="M2")
    with pytest.raises(Refused) as refused:
        services.send_review(
            by=clinic["audit_lead"],
            record=record,
            clinician=clinic["crewmate"].person,
            missing=["news2"],
            why="Because.",
        )

    assert {each.field for each in refused.value.each} == {"clinician", "missing"}
    assert not RecordReview.objects.exists()


def test_only_the_clinical_audit_lead_sends_reviews(client, clinic):
    record = PatientRecord.objects.get(record_id="M2")
    url = reverse("records:send_record_review", kwargs={"record_id": record.public_id})
    for user in (clinic["paramedic"], make_user(Role.QUALITY_LEAD, clinic["trust"].trust)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(make_user(Role.CLINICAL_AUDIT_LEAD))
    assert client.get(url).status_code == 404


def test_the_clinician_sees_the_review_on_their_home_page_and_acknowledges_it_once(client, clinic):
    review = _review(clinic)
    client.force_login(clinic["paramedic"])

    home = client.get(reverse("core:home")).content.decode()
    assert "Record reviews to acknowledge" in home
    reviews = client.get(reverse("records:list_my_reviews")).content.decode()
    assert reviews.count("data-counted-row") == 1 and "analgesia" in reviews
    url = reverse("records:acknowledge_record_review", kwargs={"record_review_id": review.public_id})
    assert client.post(url).status_code == 302
    client.post(url)

    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="acknowledged_record_review").count() == 1
    assert "Record reviews to acknowledge" not in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("records:list_my_reviews")).content.decode().count("data-counted-row") == 0


def test_nobody_else_can_see_or_acknowledge_a_clinicians_review(client, clinic):
    review = _review(clinic)
    url = reverse("records:acknowledge_record_review", kwargs={"record_review_id": review.public_id})
    for user in (clinic["crewmate"], clinic["audit_lead"]):
        client.force_login(user)
        assert "analgesia" not in client.get(reverse("records:list_my_reviews")).content.decode()
        assert client.post(url).status_code == 404
    with pytest.raises(Refused):
        services.acknowledge_review(by=clinic["crewmate"], review=review)
    review.refresh_from_db()
    assert review.acknowledged_at is None


def _today():
    return dt.date(2026, 12, 2)
