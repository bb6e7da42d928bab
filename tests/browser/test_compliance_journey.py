"""The compliance matrix in the browser, axe on every page at desktop and phone widths: with every subject
needed, the page itself never scrolls sideways (the matrix scrolls in its own region); the lead chooses
subjects, reads each figure's standing in words, opens the people behind one, and emails them a reminder."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.core import outbox
from candour.core.months import add_months
from candour.learning.models import Requirement, Subject, TrainingRecord
from candour.learning.services import training
from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from tests.support.factories import AreaFactory, JobRoleFactory, PersonFactory, StationFactory, UserFactory


@pytest.fixture
def trust(make_user):
    """Two stations of paramedics who need every subject; fire safety has run out for two of them."""
    area = AreaFactory(name="Calder Vale")
    paramedic = JobRoleFactory()
    for subject in Subject.objects.all():
        Requirement.objects.create(job_role=paramedic, subject=subject)
    people = []
    for station_name in ("Ashby Ambulance Station", "Brigg Ambulance Station"):
        station = StationFactory(name=station_name, parent=area)
        people += [PersonFactory(station=station, job_role=paramedic) for _ in range(3)]
    today = timezone.localdate()
    for n, person in enumerate(people):
        completed = add_months(today, -25) if n < 2 else today - dt.timedelta(days=30)
        TrainingRecord.objects.create(
            person=person, subject=Subject.objects.get(code="cstf-fire"), completed_on=completed
        )
        UserFactory(person=person, email=f"paramedic{n}@calder.example")
    training.refresh_compliance([person.pk for person in people])
    leader = JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )
    return make_user(Role.EDUCATION_LEAD, area.parent, job_role=leader)


def _page_scrolls_sideways(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_given_every_subject_needed_when_the_lead_reads_the_matrix_then_it_fits_and_reminders_go(
    journey, trust, smtp_server
):
    page = journey.page

    # given_an_education_lead_signed_in
    journey.sign_in(trust.email)

    # when_they_open_the_matrix_of_every_subject_by_station
    journey.click_link("Compliance")
    matrix = page.locator("#compliance-matrix")
    expect(matrix.locator("thead th")).to_have_count(1 + Subject.objects.count())

    # then_the_page_fits_the_screen_and_only_the_matrix_scrolls_sideways
    assert _page_scrolls_sideways(page) <= 0
    region = page.get_by_role("region", name="Compliance by area and subject")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")

    # when_they_choose_two_subjects
    page.get_by_text("Choose subjects").click()
    page.get_by_label("Fire safety", exact=True).check()
    page.get_by_label("Resuscitation", exact=True).check()
    journey.press_button("Show")

    # then_the_matrix_shows_those_two_judged_in_words
    expect(matrix.locator("thead th")).to_have_count(3)
    fire = page.get_by_role("link", name="Calder Vale, Fire safety: 67%")
    expect(page.get_by_role("cell").filter(has=fire)).to_contain_text("Below target")

    # when_they_open_the_people_behind_fire_safety
    journey.follow(fire.click)

    # then_those_expired_come_first_with_how_long
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("Expired")
    expect(first).to_contain_text("days ago")

    # when_they_email_a_reminder
    journey.press_button("Email a reminder to 2 people")

    # then_the_two_are_reminded_by_email
    expect(page.get_by_text("Reminder emailed to 2 people.")).to_be_visible()
    outbox.deliver_due()  # as the task worker does, woken when the request committed
    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == [
        "paramedic0@calder.example",
        "paramedic1@calder.example",
    ]
