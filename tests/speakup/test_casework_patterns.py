"""Patterns of low-level concerns: for the safeguarding lead only, never about the lead or their reports."""

import pytest
from django.urls import reverse

from candour.people.roles import Role
from candour.speakup.models import Kind, PatternFlag, Subject
from tests.support.factories import PersonFactory, StationFactory, make_user

PATTERNS = reverse("speakup:list_patterns")


def _review_url(person):
    return reverse("speakup:review_pattern", kwargs={"person_id": person.public_id})


@pytest.fixture
def pattern_about(raise_concern, settings):
    """pattern_about(person) -> the low-level concerns about them that flag a pattern."""

    def flag(person):
        return [
            raise_concern(subject_person=person).concern
            for _ in range(settings.CANDOUR_LOW_LEVEL_PATTERN_COUNT)
        ]

    return flag


def test_patterns_list_the_person_and_link_the_concerns_about_them(trust, pattern_about, client_for):
    person = PersonFactory(station=trust.station, family_name="Thornbury")
    concerns = pattern_about(person)

    page = client_for(trust.lead).get(PATTERNS).text

    assert "Thornbury" in page and "3 in 12 months" in page
    for concern in concerns:
        assert reverse("speakup:show_case", kwargs={"concern_id": concern.pk}) in page
    assert _review_url(person) in page


def test_patterns_link_only_concerns_the_lead_may_open(trust, pattern_about, raise_concern, client_for):
    person = PersonFactory(station=trust.station)
    pattern_about(person)
    guardians = raise_concern(
        kind=Kind.WORKER_WELLBEING, subject_person=person, subject_type=Subject.COLLEAGUE
    )

    page = client_for(trust.lead).get(PATTERNS).text

    assert guardians.concern.reference not in page


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.STAFF, Role.EXECUTIVE])
def test_patterns_are_forbidden_to_everyone_but_the_safeguarding_lead(trust, client_for, role):
    user = make_user(role, trust.trust)

    assert client_for(user).get(PATTERNS).status_code == 403


def test_patterns_hide_a_flag_about_the_lead_or_someone_they_manage(trust, pattern_about, client_for):
    managed = PersonFactory(station=trust.station, family_name="Underhill")
    managed.line_manager = trust.lead.person
    managed.save()
    pattern_about(trust.lead.person)
    pattern_about(managed)
    client = client_for(trust.lead)

    page = client.get(PATTERNS).text

    assert "No patterns are waiting" in page and "Underhill" not in page
    assert client.post(_review_url(trust.lead.person)).status_code == 404
    assert client.post(_review_url(managed)).status_code == 404


def test_patterns_hide_a_flag_outside_the_leads_area(pattern_about, trust, client_for):
    elsewhere = make_user(Role.SAFEGUARDING_LEAD, StationFactory().parent.parent)
    pattern_about(PersonFactory(station=trust.station, family_name="Whitlow"))

    assert "Whitlow" not in client_for(elsewhere).get(PATTERNS).text


def test_marking_a_pattern_reviewed_takes_it_off_the_list(trust, pattern_about, client_for):
    person = PersonFactory(station=trust.station, family_name="Ashdown")
    pattern_about(person)
    client = client_for(trust.lead)

    response = client.post(_review_url(person), follow=True)

    flag = PatternFlag.objects.get(subject_person=person)
    assert flag.reviewed_by == trust.lead and flag.reviewed_on is not None
    assert "marked as reviewed" in response.text and "No patterns are waiting" in response.text


def test_marking_reviewed_only_answers_a_post_from_the_lead(trust, pattern_about, client_for):
    person = PersonFactory(station=trust.station)
    pattern_about(person)

    assert client_for(trust.lead).get(_review_url(person)).status_code == 405
    assert client_for(trust.guardian).post(_review_url(person)).status_code == 403
    assert not PatternFlag.objects.filter(reviewed_on__isnull=False).exists()


def test_reviewed_patterns_stay_listed_with_who_reviewed_them_and_when(trust, pattern_about, client_for):
    person = PersonFactory(station=trust.station, family_name="Polglaze")
    pattern_about(person)
    client = client_for(trust.lead)
    client.post(_review_url(person), follow=True)

    waiting = client.get(PATTERNS).text
    reviewed = client.get(PATTERNS, {"reviewed": "yes"}).text

    assert "Polglaze" not in waiting and f"{PATTERNS}?reviewed=yes" in waiting
    assert "Polglaze" in reviewed and trust.lead.display_name in reviewed and "Mark reviewed" not in reviewed


def test_the_case_work_pages_lead_to_the_patterns_for_the_safeguarding_lead_only(trust, client_for):
    inbox = reverse("speakup:list_inbox")

    assert f'href="{PATTERNS}"' in client_for(trust.lead).get(inbox).text
    assert f'href="{PATTERNS}"' not in client_for(trust.guardian).get(inbox).text
