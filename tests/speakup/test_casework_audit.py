"""Every page that shows something of a case records that it was seen, by whom: each page of one case, and
each list that shows what cases are about or what is to be done on them, naming every case it showed."""

import datetime as dt

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.speakup import services
from candour.speakup.models import Identity, Referral
from tests.support.factories import PersonFactory

TODAY = dt.date.today()


@pytest.fixture
def case(trust, raise_concern, triage):
    case = triage(raise_concern(identity=Identity.CONFIDENTIAL).concern)
    services.add_entry(by=trust.lead, concern=case, type="note", body="Rang the station manager.")
    services.add_task(by=trust.lead, concern=case, title="Check the rota", owner=trust.lead, due_on=TODAY)
    services.refer(by=trust.lead, concern=case, agency=Referral.Agency.LADO, referred_on=TODAY)
    return case


def _views_of(concern, user) -> int:
    return AuditEvent.objects.filter(action="viewed", object_id=str(concern.pk), actor=user).count()


CASE_PAGES = [
    "show_case",
    "add_entry",
    "correct_entry",
    "message_reporter",
    "add_task",
    "add_team_member",
    "add_referral",
    "record_referral_outcome",
    "change_status",
    "close_case",
]


def _case_page(name, case) -> str:
    extra = {
        "correct_entry": {"sequence": case.entries.filter(type="note").get().sequence},
        "record_referral_outcome": {"referral_id": case.referrals.get().public_id},
    }.get(name, {})
    return reverse(f"speakup:{name}", kwargs={"concern_id": case.pk, **extra})


@pytest.mark.parametrize("name", CASE_PAGES)
def test_every_page_of_a_case_records_that_it_was_seen(trust, case, client_for, name):
    response = client_for(trust.lead).get(_case_page(name, case))

    assert response.status_code == 200
    assert _views_of(case, trust.lead) == 1


def test_the_triage_page_records_that_the_concern_was_seen(trust, raise_concern, client_for):
    concern = raise_concern().concern

    client_for(trust.lead).get(reverse("speakup:triage_case", kwargs={"concern_id": concern.pk}))

    assert _views_of(concern, trust.lead) == 1


def test_the_correction_page_shown_again_with_its_errors_is_seen_again(trust, case, client_for):
    client = client_for(trust.lead)
    page = _case_page("correct_entry", case)

    client.get(page)
    refused = client.post(page, {"body": "Rang the deputy.", "reason": ""})

    assert refused.status_code == 200 and "Rang the station manager." in refused.text
    assert _views_of(case, trust.lead) == 2


def test_a_page_out_of_reach_records_nothing(trust, case, client_for):
    response = client_for(trust.guardian).get(_case_page("correct_entry", case))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="viewed").exists()


def _seen_together(user, page: str) -> list[list[str]]:
    events = AuditEvent.objects.filter(action="viewed", actor=user, summary=page)
    return [event.changes["cases"] for event in events]


@pytest.mark.parametrize(
    ("name", "query"),
    [("list_inbox", {}), ("show_today", {}), ("list_tasks", {}), ("list_tasks", {"owner": "mine"})],
)
def test_every_list_that_shows_what_cases_are_about_records_the_cases_it_showed(
    trust, case, client_for, name, query
):
    client_for(trust.lead).get(reverse(f"speakup:{name}"), query)

    assert _seen_together(trust.lead, name) == [[str(case.pk)]]


def test_the_patterns_list_records_the_cases_it_linked(trust, raise_concern, client_for):
    person = PersonFactory(station=trust.station)
    concerns = [raise_concern(subject_person=person).concern for _ in range(3)]

    client_for(trust.lead).get(reverse("speakup:list_patterns"))

    assert _seen_together(trust.lead, "list_patterns") == [sorted(str(c.pk) for c in concerns)]
