"""A cohort's transfer packs, every apprentice's PDF and bundle in one zip, made by the task worker with its
progress on a page that refreshes itself: never a long wait on a download, never a half-made file offered,
kept encrypted while it waits, and every download on the record."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.learning.models import CohortPack
from candour.learning.services import apprenticeships as services
from candour.learning.services import cohort_packs
from tests.learning.apprentice_fixtures import fellbridge, make_apprentice, make_apprenticeship  # noqa: F401

REQUEST = reverse("learning:request_cohort_pack")


@pytest.fixture
def moved(fellbridge, settings, tmp_path):
    """Two apprentices moved to the academy today."""
    settings.MEDIA_ROOT = tmp_path / "media"
    other = make_apprenticeship(make_apprentice(fellbridge.a2), fellbridge.provider)
    services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship, other],
        to=fellbridge.new_provider,
        on=fellbridge.today,
    )
    return [fellbridge.apprenticeship, other]


def _cohort(fellbridge) -> dict:
    return {"provider": str(fellbridge.new_provider.public_id), "on": fellbridge.today.isoformat()}


def _page(pack) -> str:
    return reverse("learning:show_cohort_pack", kwargs={"pack_id": pack.public_id})


# The worker closes its database connection when it is done: the test cannot run inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_cohort_pack_is_asked_for_then_made_by_the_worker_with_each_pdf(fellbridge, moved, client_for):
    lead = client_for(fellbridge.lead)

    asked = lead.post(REQUEST, _cohort(fellbridge))

    pack = CohortPack.objects.get()
    assert asked["Location"] == _page(pack)
    waiting = lead.get(_page(pack))
    assert waiting["Refresh"] and "Waiting to start" in waiting.content.decode()
    assert "Download" not in waiting.content.decode()

    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)

    done = lead.get(_page(pack))
    assert not done.has_header("Refresh")
    pack.refresh_from_db()
    assert (pack.status, pack.made, pack.total) == (CohortPack.Status.DONE, 2, 2)
    download = lead.get(reverse("learning:download_cohort_pack", kwargs={"pack_id": pack.public_id}))
    assert download["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = set(archive.namelist())
    for apprenticeship in moved:
        folder = f"transfer-pack-{apprenticeship.person.staff_number}/"
        assert {
            f"{folder}transfer-pack-{apprenticeship.person.staff_number}.pdf",
            f"{folder}learner.csv",
        } <= names
    assert "cohort.csv" in names
    assert AuditEvent.objects.filter(action="downloaded_transfer_pack").count() == 2
    assert AuditEvent.objects.filter(action="requested_cohort_pack").count() == 1


def test_cohort_pack_waits_encrypted_on_disk(fellbridge, moved, settings):
    pack = cohort_packs.request_cohort_pack(
        by=fellbridge.lead, provider_id=fellbridge.new_provider.public_id, on=fellbridge.today
    )

    cohort_packs.make_cohort_pack(pack_id=pack.pk)

    pack.refresh_from_db()
    stored = (Path(settings.MEDIA_ROOT) / pack.stored_path).read_bytes()
    assert not zipfile.is_zipfile(io.BytesIO(stored))
    assert fellbridge.apprenticeship.person.family_name.encode() not in stored


def test_cohort_pack_that_fails_says_why_and_offers_nothing(
    fellbridge, moved, settings, tmp_path, client_for
):
    pack = cohort_packs.request_cohort_pack(
        by=fellbridge.lead, provider_id=fellbridge.new_provider.public_id, on=fellbridge.today
    )
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the packs folder should be")
    settings.MEDIA_ROOT = blocked

    cohort_packs.make_cohort_pack(pack_id=pack.pk)

    pack.refresh_from_db()
    assert pack.status == CohortPack.Status.FAILED and pack.failure
    page = client_for(fellbridge.lead).get(_page(pack)).content.decode()
    assert "could not be made" in page and "Try again" in page
    url = reverse("learning:download_cohort_pack", kwargs={"pack_id": pack.public_id})
    assert client_for(fellbridge.lead).get(url).status_code == 404


def test_cohort_pack_is_only_for_the_lead_who_asked(fellbridge, moved, client_for):
    pack = cohort_packs.request_cohort_pack(
        by=fellbridge.lead, provider_id=fellbridge.new_provider.public_id, on=fellbridge.today
    )
    cohort_packs.make_cohort_pack(pack_id=pack.pk)

    for who in ("area_b_lead", "other_lead"):
        client = client_for(getattr(fellbridge, who))
        assert client.get(_page(pack)).status_code == 404
        assert (
            client.get(
                reverse("learning:download_cohort_pack", kwargs={"pack_id": pack.public_id})
            ).status_code
            == 404
        )
    assert client_for(fellbridge.line_manager).get(_page(pack)).status_code == 403


def test_cohort_pack_for_a_cohort_out_of_reach_is_not_made(fellbridge, moved, client_for):
    response = client_for(fellbridge.area_b_lead).post(REQUEST, _cohort(fellbridge))

    assert response.status_code == 404
    assert not CohortPack.objects.exists()


def test_cohort_packs_are_forgotten_after_a_few_days(fellbridge, moved, settings):
    settings.CANDOUR_COHORT_PACK_KEEP_DAYS = 7
    pack = cohort_packs.request_cohort_pack(
        by=fellbridge.lead, provider_id=fellbridge.new_provider.public_id, on=fellbridge.today
    )
    cohort_packs.make_cohort_pack(pack_id=pack.pk)
    pack.refresh_from_db()
    stored = Path(settings.MEDIA_ROOT) / pack.stored_path

    assert cohort_packs.forget_old_cohort_packs(today=fellbridge.today + dt.timedelta(days=7)) == 0
    assert cohort_packs.forget_old_cohort_packs(today=fellbridge.today + dt.timedelta(days=8)) == 1

    assert not stored.exists() and not CohortPack.objects.exists()
