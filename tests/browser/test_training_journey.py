"""Training in the browser, axe on every page: a paramedic sees on the home page and in My training that
safeguarding children level 3 is due; an education lead uploads the learning system's export and watches the
job page, refreshing itself, reach "Imported"; then the compliance matrix and the people behind a figure."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from candour.core.months import add_months
from candour.learning.models import Requirement, Subject, TrainingRecord
from candour.learning.services import training
from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from tests.support.factories import AreaFactory, JobRoleFactory, StationFactory


@pytest.fixture
def people(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = AreaFactory(name="Calder Vale")
    station = StationFactory(name="Ashby Ambulance Station", parent=area)
    paramedic_role = JobRoleFactory()
    for code in ("sg-children-3", "cstf-fire"):
        Requirement.objects.create(job_role=paramedic_role, subject=Subject.objects.get(code=code))
    leader = JobRoleFactory(
        code="senior-leader", name="Senior leader", professional_group=ProfessionalGroup.MANAGERS
    )
    lead = make_user(Role.EDUCATION_LEAD, area.parent, job_role=leader)
    paramedic = make_user(Role.STAFF, station, job_role=paramedic_role, given_name="Robin")
    today = timezone.localdate()
    TrainingRecord.objects.create(
        person=paramedic.person, subject=Subject.objects.get(code="cstf-fire"), completed_on=today
    )
    TrainingRecord.objects.create(
        person=paramedic.person,
        subject=Subject.objects.get(code="sg-children-3"),
        completed_on=add_months(today, -36) + dt.timedelta(days=20),
        hours=12,
    )
    training.refresh_compliance([paramedic.person_id])
    return lead, paramedic


def test_given_a_paramedic_due_training_when_the_lead_imports_records_then_the_job_reaches_imported(
    journey, people, tmp_path
):
    lead, paramedic = people
    page = journey.page

    # given_a_paramedic_sees_safeguarding_children_level_3_due_on_their_home_page
    journey.sign_in(paramedic.email)
    due = page.get_by_role("link", name="Training due soon")
    expect(due).to_be_visible()
    expect(page.get_by_text("Safeguarding children level 3 is due within 60 days")).to_be_visible()

    # and_in_my_training
    journey.click_link("Training due soon")
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    row = page.locator("#required-training").get_by_role("row", name="Safeguarding children level 3")
    expect(row).to_contain_text("Due soon")
    journey.press_button("Sign out")

    # when_an_education_lead_uploads_the_learning_systems_export
    export = tmp_path / "lms-export.csv"
    today = timezone.localdate()
    export.write_text(
        "staff_number,subject_code,completed_on,hours,provider\n"
        f"{paramedic.person.staff_number},sg-children-3,{today},12,Northmoor Safeguarding Team\n"
    )
    journey.sign_in(lead.email)
    journey.click_link("Compliance")
    journey.click_link("Import training records")
    page.get_by_label("Training records file", exact=True).set_input_files(export)
    journey.press_button("Upload and import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting to start")

    # then_the_worker_imports_it_and_the_job_page_refreshes_itself_to_imported
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    # Waits for what it checks, however many refreshes that takes on a busy machine.
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported", timeout=20_000)
    journey.check()  # the page's own refresh brought the outcome
    expect(page.get_by_text("lms-export.csv: 1 row read")).to_be_visible()

    # and_the_matrix_and_the_people_behind_a_figure_show_the_paramedic_compliant
    journey.click_link("See training compliance")
    journey.click_link("Calder Vale, Safeguarding children level 3: 100%")
    expect(page.get_by_role("row", name=paramedic.person.full_name)).to_contain_text("Compliant")


def test_given_the_learning_systems_own_export_when_the_lead_uploads_it_then_they_say_which_column_is_which(
    journey, people, tmp_path
):
    lead, paramedic = people
    page = journey.page
    export = tmp_path / "olm-learning-history.csv"
    export.write_text(
        "Employee Number,Full Name,Course Title,Completion Date,Location\n"
        f"{paramedic.person.staff_number},Robin Example,Fire safety,29/11/2026,Ashby\n"
    )

    # given_the_lead_reads_what_the_file_may_look_like
    journey.sign_in(lead.email)
    journey.visit("/training/imports/new/")
    page.get_by_text("Subject codes", exact=True).click()
    expect(page.get_by_role("cell", name="sg-children-3")).to_be_visible()
    journey.check()

    # when_they_upload_the_learning_systems_export_as_it_is
    page.get_by_label("Training records file", exact=True).set_input_files(export)
    journey.press_button("Upload and import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which column is which?")

    # then_they_choose_its_columns_and_it_is_queued_to_import
    page.get_by_label("Staff number").select_option("Employee Number")
    page.get_by_label("Training subject (its code or its name in Candour)").select_option("Course Title")
    page.get_by_label("Date completed").select_option("Completion Date")
    # The job page refreshes itself while the job waits; it is checked with its refresh stopped, so that
    # the check is never cut short by the refresh.
    with page.expect_event("load"):
        page.get_by_role("button", name="Import with these columns", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting to start")
    journey.visit(urlsplit(page.url).path + "?refresh=off")
    expect(page.get_by_role("link", name="Update this page")).to_be_visible()

    # and_the_worker_imports_it_through_those_columns
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    journey.click_link("Update this page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.get_by_text("olm-learning-history.csv: 1 row read")).to_be_visible()
