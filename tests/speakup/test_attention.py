"""Home-page attention for speak-up: leads see what waits for triage; reporters see replies."""

import datetime as dt

import time_machine
from django.urls import reverse

from candour.speakup import services
from candour.speakup.models import Identity


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
