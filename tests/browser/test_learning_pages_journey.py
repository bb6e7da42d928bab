"""Every learning page a journey does not otherwise reach, checked with axe at desktop and phone widths and
for reflow at 320 px: the forms an education lead fills in, a failed import's problems, a cohort zip that
could not be made, and the narrowed lists the home cards lead to."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candour.core.models import ImportJob
from candour.learning.models import Apprenticeship, CohortPack
from candour.learning.services import apprenticeships as services
from tests.browser.test_apprentice_journeys import trust  # noqa: F401 - the fixture, asked for by name


def test_given_an_education_lead_when_they_open_each_form_and_list_then_each_passes_at_every_size(
    journey,
    trust,  # noqa: F811
):
    page = journey.page
    lead = trust["lead"]
    apprenticeship = Apprenticeship.objects.get(person=trust["apprentice"].person)
    record = {"apprenticeship_id": apprenticeship.public_id}
    services.transfer(
        by=lead,
        apprenticeships=[apprenticeship],
        new_provider_name="Fellside University",
        on=timezone.localdate() + dt.timedelta(days=30),
    )
    apprenticeship.refresh_from_db()
    failed_import = ImportJob.objects.create(
        feed="training_records",
        uploaded_by=lead,
        file_name="lms-export.csv",
        stored_path="",
        size_bytes=1,
        status=ImportJob.Status.FAILED,
        error_count=1,
        errors=[{"line": 2, "column": "completed_on", "reason": "31/02/2026 is not a date"}],
    )
    failed_pack = CohortPack.objects.create(
        requested_by=lead,
        provider=apprenticeship.transferred_to,
        transferred_on=apprenticeship.transferred_on,
        total=1,
        status=CohortPack.Status.FAILED,
        failure="The zip could not be written to the server's disk (No space left on device).",
    )
    journey.sign_in(lead.email)

    for path, heading in [
        (reverse("learning:add_training_record"), "Add a training record"),
        (reverse("learning:start_apprenticeship"), "Record a new apprenticeship"),
        (reverse("learning:edit_apprenticeship", kwargs=record), "Change the apprenticeship's details"),
        (reverse("learning:change_apprenticeship_status", kwargs=record), "Change the status"),
        (reverse("learning:log_off_the_job", kwargs=record), "Log off-the-job hours"),
        (reverse("learning:add_placement", kwargs=record), "Add a placement"),
        (reverse("learning:schedule_review", kwargs=record), "Schedule a progress review"),
        (reverse("learning:list_transfers"), "Transfers to new providers"),
        (reverse("learning:import_transfer_bundle"), "Import"),
        (reverse("people:show_import_job", kwargs={"job_id": failed_import.public_id}), "Not imported"),
        (
            reverse("learning:show_cohort_pack", kwargs={"pack_id": failed_pack.public_id}),
            "Could not be made",
        ),
        (reverse("learning:show_apprenticeship", kwargs=record), "Amara Okafor"),
        (f"{reverse('learning:list_briefings')}?show=unread", "Briefings to read"),
        (f"{reverse('learning:show_my_training')}?show=expired", "My training"),
    ]:
        # when_they_open_the_page
        journey.visit(path)

        # then_it_is_the_page_they_asked_for_and_it_passed_the_checks_at_every_size
        expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(re.escape(heading)))
