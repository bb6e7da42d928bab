"""The case team's day and the task list: what is due across every case the user may open, referrals
waiting for an outcome and since when, new messages and patterns; scoped like the cases themselves."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Kind, Subject
from tests.support.factories import PersonFactory, StationFactory, make_user

TODAY_PAGE = reverse("speakup:show_today")
TASKS = reverse("speakup:list_tasks")


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _task(lead, case, title, due_on, owner=None):
    return services.add_task(by=lead, concern=case, title=title, owner=owner or lead, due_on=due_on)


def test_today_lists_tasks_due_or_overdue_across_cases_and_counts_those_due_this_week(
    trust, triage, raise_concern, client_for
):
    first, second = triage(raise_concern().concern), triage(raise_concern().concern)
    _task(trust.lead, first, "Ring the station manager", _days(-3))
    _task(trust.lead, second, "Write to the LADO", _days(0))
    _task(trust.lead, second, "Review the rota", _days(5))
    done = _task(trust.lead, first, "Already done", _days(-1))
    services.complete_task(by=trust.lead, task=done)

    page = client_for(trust.lead).get(TODAY_PAGE).text

    assert "Ring the station manager" in page and "Write to the LADO" in page
    assert page.index("Ring the station manager") < page.index("Write to the LADO")
    assert "Review the rota" not in page and "Already done" not in page
    assert "(1 more)" in page and f"{TASKS}?due=week" in page
    assert first.reference in page and second.reference in page


def test_today_lists_referrals_awaiting_an_outcome_longest_waiting_first_with_since_when(
    trust, triage, raise_concern, client_for
):
    recent, older = triage(raise_concern().concern), triage(raise_concern().concern)
    services.refer(by=trust.lead, concern=recent, agency="police", referred_on=_days(-2))
    services.refer(by=trust.lead, concern=older, agency="lado", referred_on=_days(-30))
    answered = services.refer(by=trust.lead, concern=recent, agency="dbs", referred_on=_days(-40))
    services.record_referral_outcome(
        by=trust.lead, referral=answered, outcome="declined", outcome_on=_days(-1)
    )

    page = client_for(trust.lead).get(TODAY_PAGE).text

    assert "30 days" in page and "2 days" in page and "Disclosure and Barring Service" not in page
    assert page.index(older.reference) < page.index(recent.reference)


def test_today_lists_new_messages_and_for_the_safeguarding_lead_patterns(
    trust, triage, raise_concern, client_for
):
    case = triage(raise_concern().concern)
    services.message_reporter(by=trust.lead, concern=case, body="Can we talk?")
    services.reporter_replies(concern=case, body="Yes, after my shift.", by=trust.apprentice)
    person = PersonFactory(station=trust.station, family_name="Penhallow")
    for _ in range(3):
        raise_concern(subject_person=person)

    lead = client_for(trust.lead).get(TODAY_PAGE).text
    guardian = client_for(trust.guardian).get(TODAY_PAGE).text

    assert case.reference in lead and "Penhallow" in lead
    assert "Patterns of low-level concerns waiting for review" not in guardian and "Penhallow" not in guardian


def test_today_and_tasks_show_only_cases_the_user_may_open(trust, raise_concern, client_for):
    other_lead = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    guardians = raise_concern(kind=Kind.PATIENT_SAFETY, subject_type=Subject.PROCESS).concern
    about_the_lead = raise_concern(subject_person=trust.lead.person).concern
    for by, concern in [(trust.guardian, guardians), (other_lead, about_the_lead)]:
        case = services.triage(
            by=by,
            concern=concern,
            primary_category="other",
            secondary_categories=[],
            threshold="low_level",
            owner=by,
            team=[],
        )
        _task(by, case, "A task you may not see", _days(0))
        services.refer(by=by, concern=case, agency="police", referred_on=_days(0))
    client = client_for(trust.lead)

    for page in (client.get(TODAY_PAGE).text, client.get(TASKS).text):
        assert "A task you may not see" not in page
        assert guardians.reference not in page and about_the_lead.reference not in page


@pytest.mark.parametrize("url", [TODAY_PAGE, TASKS])
def test_today_and_tasks_are_for_case_workers_only(trust, client_for, url, client):
    assert client_for(trust.staff).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_a_lead_in_another_trust_sees_nothing_of_this_one(trust, triage, raise_concern, client_for):
    case = triage(raise_concern().concern)
    _task(trust.lead, case, "Ring the station manager", _days(0))
    elsewhere = make_user(Role.SAFEGUARDING_LEAD, StationFactory().parent.parent)

    assert "Ring the station manager" not in client_for(elsewhere).get(TODAY_PAGE).text
    assert "Ring the station manager" not in client_for(elsewhere).get(TASKS).text


def test_the_task_list_filters_by_whose_and_when(trust, triage, raise_concern, client_for):
    case = triage(raise_concern().concern, team=[trust.guardian])
    _task(trust.lead, case, "Mine and late", _days(-2))
    _task(trust.lead, case, "Mine next week", _days(6))
    _task(trust.lead, case, "Mine next month", _days(30))
    _task(trust.lead, case, "Theirs and late", _days(-1), owner=trust.guardian)
    client = client_for(trust.lead)

    mine_late = client.get(TASKS, {"owner": "mine", "due": "overdue"}).text
    this_week = client.get(TASKS, {"due": "week"}).text
    everything = client.get(TASKS).text

    assert (
        "Mine and late" in mine_late and "Theirs and late" not in mine_late and "next week" not in mine_late
    )
    assert "Mine next week" in this_week and "Theirs and late" in this_week and "next month" not in this_week
    assert "Open tasks (4)" in everything
