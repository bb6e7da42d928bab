"""Home-page attention for speak-up: leads see what waits for triage; reporters see replies."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.core.attention import items_for
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Identity, Kind, Subject
from tests.support.factories import PersonFactory, StationFactory, make_user
from tests.support.html_tables import tables


def test_a_lead_sees_new_concerns_to_triage(trust, raise_concern, client_for):
    raise_concern()

    page = client_for(trust.lead).get(reverse("core:home")).text

    assert "New concerns to triage" in page
    assert "Speak up" in page and "Cases" in page


def test_overdue_triage_is_urgent(trust, raise_concern, client_for):
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)):
        raise_concern()
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)):
        page = client_for(trust.lead).get(reverse("core:home")).text

    assert "Triage overdue" in page


def test_staff_see_no_case_work(trust, raise_concern, client_for):
    raise_concern()

    page = client_for(trust.staff).get(reverse("core:home")).text

    assert "New concerns to triage" not in page
    assert ">Cases<" not in page


def test_a_named_reporter_sees_a_reply(trust, raise_concern, triage, client_for):
    concern = triage(raise_concern(identity=Identity.CONFIDENTIAL).concern)
    services.message_reporter(by=trust.lead, concern=concern, body="Can we talk?")

    page = client_for(trust.apprentice).get(reverse("core:home")).text

    assert "A reply about a concern you raised" in page


def test_only_the_safeguarding_lead_sees_a_pattern(trust, raise_concern, client_for):
    from tests.support.factories import PersonFactory

    subject = PersonFactory(station=trust.station)
    for _ in range(3):
        raise_concern(subject_person=subject)

    assert "Pattern of low-level concerns" in client_for(trust.lead).get("/").text
    assert "Pattern of low-level concerns" not in client_for(trust.guardian).get("/").text


CASE_WORK_CARDS = {
    "Triage overdue",
    "New concerns to triage",
    "New messages from people who raised concerns",
    "Case tasks overdue",
    "Pattern of low-level concerns",
}


def _rows_listed(html: str) -> int:
    """How many rows the page's tables list (each table's header row left out)."""
    return sum(len(rows) - 1 for rows in tables(html).values())


def _everything_a_card_counts(trust, raise_concern, triage):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=14)):
        raise_concern()
        raise_concern(kind=Kind.PATIENT_SAFETY, subject_type=Subject.PROCESS)
    raise_concern()
    case = triage(raise_concern().concern, team=[trust.guardian])
    for days in (3, 1):
        services.add_task(
            by=trust.lead,
            concern=case,
            title="Late",
            owner=trust.lead,
            due_on=dt.date.today() - dt.timedelta(days),
        )
    services.add_task(by=trust.lead, concern=case, title="Not late", owner=trust.lead, due_on=dt.date.today())
    services.message_reporter(by=trust.lead, concern=case, body="Can we talk?")
    services.reporter_replies(concern=case, body="Yes.", by=trust.apprentice)
    for _ in range(3):
        raise_concern(subject_person=PersonFactory(station=trust.station, family_name="Trelawney"))
    person = PersonFactory(station=trust.station)
    for _ in range(3):
        raise_concern(subject_person=person)


@pytest.mark.parametrize("who", ["lead", "guardian", "staff", "apprentice"])
def test_every_case_work_card_leads_to_a_list_of_exactly_what_it_counts(
    trust, raise_concern, triage, client_for, who
):
    _everything_a_card_counts(trust, raise_concern, triage)
    user = getattr(trust, who)
    client = client_for(user)

    cards = [item for item in items_for(user) if item.title in CASE_WORK_CARDS]

    for card in cards:
        listed = client.get(card.url)
        assert listed.status_code == 200, card.title
        assert _rows_listed(listed.text) == card.count, card.title
    if who == "lead":
        assert {card.title for card in cards} == CASE_WORK_CARDS


def test_the_pattern_card_counts_only_patterns_the_lead_may_review(trust, raise_concern, client_for):
    elsewhere = StationFactory()
    for _ in range(3):
        services.raise_concern(
            by=make_user(Role.STAFF, elsewhere),
            kind=Kind.LOW_LEVEL,
            identity="open",
            narrative="Remarks",
            subject_type=Subject.COLLEAGUE,
            subject_person=PersonFactory(station=elsewhere),
            station=elsewhere,
        )
    for _ in range(3):
        raise_concern(subject_person=trust.lead.person)

    assert "Pattern of low-level concerns" not in client_for(trust.lead).get("/").text
