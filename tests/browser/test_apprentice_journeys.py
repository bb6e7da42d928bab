"""Apprenticeships in the browser, with axe on every page: an education lead runs a progress review whose
welfare answer raises a confidential concern, which the safeguarding lead then finds in Cases and the
apprentice's line manager never sees; and an education lead moves a cohort to a new provider, after deciding
to share one apprentice's safeguarding summary, and downloads a transfer pack."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from candour.learning.models import Apprenticeship, LearningProvider, ProgressReview
from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from candour.speakup.models import Concern
from tests.support.factories import AreaFactory, JobRoleFactory, PersonFactory, StationFactory

DETAILS = "A crew mate keeps making comments about my body on night shifts."


@pytest.fixture
def trust(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = AreaFactory(name="Calder Vale")
    station = StationFactory(name="Ashby Ambulance Station", parent=area)
    leader = JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )
    apprentice_role = JobRoleFactory(
        code="apprentice-aap", name="Apprentice AAP", professional_group=ProfessionalGroup.STUDENTS
    )
    line_manager = make_user(Role.LINE_MANAGER, station, job_role=leader)
    people = {
        "lead": make_user(Role.EDUCATION_LEAD, area.parent, job_role=leader),
        "safeguarding_lead": make_user(Role.SAFEGUARDING_LEAD, area.parent, job_role=leader),
        "line_manager": line_manager,
        "apprentice": make_user(
            Role.APPRENTICE,
            station,
            job_role=apprentice_role,
            given_name="Amara",
            family_name="Okafor",
            line_manager=line_manager.person,
        ),
    }
    college = LearningProvider.objects.create(name="Northmoor College", ukprn="10091234")
    LearningProvider.objects.create(name="Pennine Health Academy", ukprn="10095678")
    mentor = PersonFactory(station=station, given_name="Morgan", family_name="Reid")
    today = timezone.localdate()
    apprenticeship = Apprenticeship.objects.create(
        person=people["apprentice"].person,
        standard="Associate ambulance practitioner",
        level=4,
        start_date=today - dt.timedelta(days=100),
        planned_end_date=today + dt.timedelta(days=500),
        station=station,
        mentor=mentor,
        provider=college,
        contracted_hours_per_week=Decimal("37.5"),
    )
    ProgressReview.objects.create(apprenticeship=apprenticeship, due_on=today - dt.timedelta(days=2))
    Apprenticeship.objects.create(
        person=PersonFactory(
            station=station, job_role=apprentice_role, is_apprentice=True, given_name="Rhys"
        ),
        standard="Associate ambulance practitioner",
        level=4,
        start_date=today - dt.timedelta(days=50),
        planned_end_date=today + dt.timedelta(days=600),
        station=station,
        provider=college,
    )
    return people


def _fill_date(page, day: dt.date, group: str | None = None) -> None:
    where = page.get_by_role("group", name=group, exact=True) if group else page
    where.get_by_label("Day", exact=True).fill(str(day.day))
    where.get_by_label("Month", exact=True).fill(str(day.month))
    where.get_by_label("Year", exact=True).fill(str(day.year))


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_given_a_review_when_the_apprentice_is_not_sure_they_are_safe_then_the_safeguarding_lead_sees_it(
    journey, trust
):
    page = journey.page
    today = timezone.localdate()

    # given_an_education_lead_opens_the_apprentice_from_the_caseload
    journey.sign_in(trust["lead"].email)
    journey.visit("/apprentices/")
    expect(
        page.get_by_role("row", name=re.compile("Amara Okafor")).get_by_text("Review overdue")
    ).to_be_visible()
    journey.click_link("Amara Okafor")

    # when_they_record_the_review_with_a_worrying_welfare_answer
    journey.follow(lambda: page.get_by_role("link", name=re.compile("^Record this review")).click())
    _fill_date(page, today, "Date the review was held")
    journey.fill("Progress since the last review", "Confident with observations and handover.")
    for area, how in (("knowledge", "On track"), ("skills", "Behind plan"), ("behaviours", "Ahead of plan")):
        _answer(page, f"Progress against the standard's {area}", how)
    journey.fill("What was discussed about off-the-job training", "Two hours behind; a study day booked.")
    journey.fill("Target 1", "Ten supervised cannulations")
    _fill_date(page, today + dt.timedelta(days=60), "Target 1 due by")
    _answer(page, "Do you feel safe at work and on placement?", "Not sure")
    _answer(page, "Have you experienced or witnessed behaviour that made you uncomfortable?", "Yes")
    journey.fill("What they experienced or witnessed", DETAILS)
    _answer(page, "Do you know how to raise a concern?", "Yes")
    journey.press_button("Save review")
    banner = page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("raised a confidential concern with the safeguarding team")
    expect(banner).to_contain_text("their line manager is not told")

    # and_signing_off_is_refused_until_every_question_is_answered
    journey.follow(lambda: page.get_by_role("link", name=re.compile("^Sign off this review")).click())
    page.get_by_label("The apprentice", exact=True).check()
    page.get_by_label("The employer or mentor", exact=True).check()
    page.get_by_label("The provider or education lead", exact=True).check()
    page.get_by_label("Signed for the employer by", exact=True).select_option(label="Morgan Reid")
    _fill_date(page, today)
    journey.press_button("Save sign-off")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Answer the question: Do you know who your safeguarding contact is?"
    )
    journey.click_link("Back to the apprenticeship")
    journey.follow(
        lambda: page.get_by_role("link", name=re.compile("^Change the record of this review")).click()
    )
    _answer(page, "Do you know who your safeguarding contact is?", "No")
    journey.press_button("Save review")
    journey.follow(lambda: page.get_by_role("link", name=re.compile("^Sign off this review")).click())
    page.get_by_label("The apprentice", exact=True).check()
    page.get_by_label("The employer or mentor", exact=True).check()
    page.get_by_label("The provider or education lead", exact=True).check()
    page.get_by_label("Signed for the employer by", exact=True).select_option(label="Morgan Reid")
    _fill_date(page, today)
    journey.press_button("Save sign-off")
    expect(page.get_by_text("Review signed off by all three")).to_be_visible()
    assert Concern.objects.count() == 1
    journey.press_button("Sign out")

    # then_the_safeguarding_lead_finds_the_confidential_concern_in_cases
    reference = Concern.objects.get().reference
    journey.sign_in(trust["safeguarding_lead"].email)
    journey.click_link("Cases")
    journey.click_link(reference)
    expect(page.get_by_text("Confidential: do not share the reporter's identity")).to_be_visible()
    expect(page.get_by_text(DETAILS, exact=False)).to_be_visible()
    journey.press_button("Sign out")

    # and_the_apprentice_is_told_what_happens_next
    journey.sign_in(trust["apprentice"].email)
    journey.visit("/apprentices/mine/")
    journey.click_link("Associate ambulance practitioner, level 4")
    expect(page.get_by_text("The safeguarding team will contact you confidentially.")).to_be_visible()
    journey.press_button("Sign out")

    # and_the_line_manager_sees_neither_the_concern_nor_the_answers
    journey.sign_in(trust["line_manager"].email)
    journey.visit("/apprentices/")
    journey.click_link("Amara Okafor")
    expect(page.get_by_text("Signed off")).to_be_visible()
    expect(page.get_by_text("Ten supervised cannulations", exact=False)).to_be_visible()
    expect(page.get_by_text("Behind plan", exact=False)).to_be_visible()
    expect(page.get_by_text("safeguarding team")).to_have_count(0)
    expect(page.get_by_text("Do you feel safe at work and on placement?")).to_have_count(0)


def test_given_a_cohort_when_the_lead_moves_it_to_a_new_provider_then_they_download_a_transfer_pack(
    journey, trust
):
    page = journey.page
    today = timezone.localdate()

    # given_the_lead_decides_to_share_one_apprentices_safeguarding_summary
    journey.sign_in(trust["lead"].email)
    journey.visit("/apprentices/")
    journey.click_link("Amara Okafor")
    journey.click_link("Decide to share a safeguarding summary with a new provider")
    page.get_by_label(re.compile("Public task")).check()
    journey.fill(
        "Safeguarding summary to share", "Support agreed after a concern in the spring; no current risk."
    )
    page.get_by_label("I have checked that sharing this is necessary and proportionate", exact=True).check()
    journey.press_button("Record the decision to share")
    expect(page.get_by_text("The transfer pack now includes the safeguarding summary")).to_be_visible()

    # when_they_move_the_colleges_apprentices_to_the_academy
    journey.click_link("Back to apprentices")
    journey.click_link("Move apprentices to a new provider")
    page.get_by_label("Current provider", exact=True).select_option(label="Northmoor College")
    page.get_by_label("Receiving provider", exact=True).select_option(label="Pennine Health Academy")
    _fill_date(page, today)
    journey.press_button("Continue")
    expect(page.get_by_role("heading", name="Move apprentices to Pennine Health Academy")).to_be_visible()
    expect(page.get_by_role("group", name="Who moves").get_by_role("checkbox", checked=True)).to_have_count(2)
    journey.press_button("Transfer the apprentices ticked")
    expect(page.get_by_text("2 apprentices transferred to Pennine Health Academy")).to_be_visible()

    # then_they_download_a_transfer_pack_and_it_holds_the_pdf_the_bundle_and_the_shared_summary
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the transfer pack for Amara Okafor").click()
    download = downloading.value
    assert download.suggested_filename == f"transfer-pack-{trust['apprentice'].person.staff_number}.zip"
    with open(download.path(), "rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        names = set(archive.namelist())
    assert {"bundle.json", "programme.csv", "reviews.csv", "safeguarding_summary.json"} <= names
    assert any(name.endswith(".pdf") for name in names)
    assert set(Apprenticeship.objects.values_list("status", flat=True)) == {"transferred"}

    # and_they_have_every_pack_made_in_one_zip_by_the_worker
    journey.press_button("Make a zip of every pack")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting to start")
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    journey.follow(lambda: None)  # the page's own refresh
    expect(page.get_by_text("Ready to download")).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the zip").click()
    with open(downloading.value.path(), "rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2
    journey.click_link("Back to the transfer")

    # and_the_apprentice_still_sees_their_record
    journey.press_button("Sign out")
    journey.sign_in(trust["apprentice"].email)
    journey.visit("/apprentices/mine/")
    journey.click_link("Associate ambulance practitioner, level 4")
    expect(page.get_by_text("Transferred to Pennine Health Academy")).to_be_visible()
