"""Moving apprentices to a new provider: statuses move with date and provider, the apprentice still sees their
record, and each pack holds a PDF and a bundle that leave safeguarding out unless a lead has decided, with a
lawful basis, to share a summary. Every download is audited."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.learning import transfer
from candour.learning.models import Apprenticeship, ProgressReview, Subject, TrainingRecord
from candour.learning.services import apprenticeships as services
from tests.learning.apprentice_fixtures import (  # noqa: F401
    fellbridge,
    hold_review,
    log_hours,
    make_apprentice,
    make_apprenticeship,
)

Answer = ProgressReview.Answer
SECRET_DETAILS = "The driver on nights touched my arm and would not stop"
SUMMARY = "Raised a concern about a colleague in March; it was looked into and closed. No current risk."


@pytest.fixture
def full_record(fellbridge) -> Apprenticeship:
    """The apprentice's record with a bit of everything, including a worrying review and its concern."""
    apprenticeship = fellbridge.apprenticeship
    apprenticeship.placements.create(
        setting="Emergency department, Fellbridge General",
        starts_on=fellbridge.today - dt.timedelta(days=60),
        ends_on=fellbridge.today - dt.timedelta(days=30),
    )
    apprenticeship.placements.create(
        setting="Ambulance station",
        station=fellbridge.a1,
        starts_on=fellbridge.today - dt.timedelta(days=29),
        ends_on=fellbridge.today + dt.timedelta(days=30),
    )
    log_hours(apprenticeship, "7.5")
    log_hours(apprenticeship, "6", week_starting=apprenticeship.start_date + dt.timedelta(weeks=1))
    review = ProgressReview.objects.create(apprenticeship=apprenticeship, due_on=fellbridge.today)
    services.record_review(
        by=fellbridge.lead,
        review=review,
        held_on=fellbridge.today,
        progress_summary="Patient assessments are strong.",
        feels_safe=Answer.NOT_SURE,
        witnessed_uncomfortable=Answer.YES,
        welfare_details=SECRET_DETAILS,
        knows_how_to_raise=Answer.YES,
        knows_safeguarding_contact=Answer.NO,
    )
    TrainingRecord.objects.create(
        person=apprenticeship.person,
        subject=Subject.objects.get(code="sg-children-2"),
        completed_on=fellbridge.today - dt.timedelta(days=100),
        hours=Decimal("3.5"),
        provider="Northmoor College",
    )
    return Apprenticeship.objects.get(pk=apprenticeship.pk)


def _texts(pack) -> str:
    """Everything a pack holds, as one string to search."""
    return transfer.pack_html(pack) + "".join(
        content.decode() for content in transfer.bundle_files(pack).values()
    )


def test_transfer_moves_the_cohort_with_date_and_provider(fellbridge):
    other = make_apprenticeship(make_apprentice(fellbridge.a2), fellbridge.provider)
    on = fellbridge.today - dt.timedelta(days=1)

    moved = services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship, other],
        to=fellbridge.new_provider,
        on=on,
    )

    assert len(moved) == 2
    for apprenticeship in Apprenticeship.objects.filter(pk__in=[fellbridge.apprenticeship.pk, other.pk]):
        assert apprenticeship.status == Apprenticeship.Status.TRANSFERRED
        assert apprenticeship.transferred_on == on
        assert apprenticeship.transferred_to == fellbridge.new_provider
        assert apprenticeship.provider == fellbridge.provider
    assert AuditEvent.objects.filter(action="transferred_apprenticeship").count() == 2


def test_transfer_refused_whole_when_one_cannot_move(fellbridge):
    withdrawn = make_apprenticeship(
        make_apprentice(fellbridge.a2), fellbridge.provider, status=Apprenticeship.Status.WITHDRAWN
    )

    with pytest.raises(Refused) as refused:
        services.transfer(
            by=fellbridge.lead,
            apprenticeships=[fellbridge.apprenticeship, withdrawn],
            to=fellbridge.new_provider,
            on=fellbridge.today,
        )

    assert any("withdrawn, so cannot be transferred" in message for message in refused.value.messages)
    assert not Apprenticeship.objects.filter(status=Apprenticeship.Status.TRANSFERRED).exists()


def test_transfer_apprentice_still_sees_their_record(fellbridge, client_for):
    services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship],
        to=fellbridge.new_provider,
        on=fellbridge.today,
    )
    url = reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )

    response = client_for(fellbridge.apprentice).get(url)

    assert response.status_code == 200
    assert "Transferred to Pennine Health Academy" in response.content.decode()


def test_transfer_pack_holds_the_programme_hours_reviews_training_and_placements(full_record):
    pack = transfer.build_pack(full_record)
    files = transfer.bundle_files(pack)

    assert set(files) == {"bundle.json", *transfer.CSV_FILES, *transfer.ADDED_CSV_FILES}
    programme = next(csv.DictReader(io.StringIO(files["programme.csv"].decode("utf-8-sig"))))
    assert programme["standard"] == "Associate ambulance practitioner"
    assert programme["provider_ukprn"] == "10000001"
    off_the_job = list(csv.DictReader(io.StringIO(files["off_the_job.csv"].decode("utf-8-sig"))))
    assert [row["hours"] for row in off_the_job] == ["7.5", "6.0"]
    reviews = list(csv.DictReader(io.StringIO(files["reviews.csv"].decode("utf-8-sig"))))
    assert reviews[0]["progress_summary"] == "Patient assessments are strong."
    assert len(list(csv.DictReader(io.StringIO(files["placements.csv"].decode("utf-8-sig"))))) == 2
    training = next(csv.DictReader(io.StringIO(files["training_records.csv"].decode("utf-8-sig"))))
    assert training["subject_code"] == "sg-children-2"
    document = json.loads(files["bundle.json"])
    assert document["format"] == transfer.BUNDLE_FORMAT
    assert document["off_the_job_summary"]["hours_logged_to_date"] == "13.5"


def test_transfer_pack_leaves_out_safeguarding_by_default(full_record):
    pack = transfer.build_pack(full_record)
    everything = _texts(pack)

    assert pack.safeguarding is None
    assert SECRET_DETAILS not in everything
    assert str(full_record.reviews.get(held_on__isnull=False).welfare_concern_id) not in everything
    for welfare_field in ("feels_safe", "witnessed_uncomfortable", "welfare", "knows_safeguarding_contact"):
        assert welfare_field not in everything
    assert "Safeguarding summary" not in transfer.pack_html(pack)


def test_transfer_pack_includes_a_summary_only_after_a_share_decision_with_a_lawful_basis(
    fellbridge, full_record
):
    with pytest.raises(Refused):
        services.decide_safeguarding_share(
            by=fellbridge.lead, apprenticeship=full_record, lawful_basis="", summary=SUMMARY
        )

    services.decide_safeguarding_share(
        by=fellbridge.lead,
        apprenticeship=full_record,
        lawful_basis="Public task (UK GDPR Article 6(1)(e))",
        summary=SUMMARY,
    )
    pack = transfer.build_pack(full_record)
    files = transfer.bundle_files(pack)

    assert pack.safeguarding.summary == SUMMARY
    assert json.loads(files["bundle.json"])["safeguarding_summary"]["lawful_basis"].startswith("Public task")
    assert SUMMARY in files[transfer.SAFEGUARDING_FILE].decode()
    assert SUMMARY in transfer.pack_html(pack)
    assert SECRET_DETAILS not in _texts(pack)
    event = AuditEvent.objects.get(action="decided_safeguarding_share")
    assert event.actor == fellbridge.lead and SUMMARY not in str(event.changes)


def test_transfer_pack_share_decision_is_per_apprentice(fellbridge, full_record):
    other = make_apprenticeship(make_apprentice(fellbridge.a1), fellbridge.provider)
    services.decide_safeguarding_share(
        by=fellbridge.lead, apprenticeship=full_record, lawful_basis="Vital interests", summary=SUMMARY
    )

    assert transfer.build_pack(other).safeguarding is None


def test_transfer_pack_pdf_is_a_pdf_with_every_section(full_record):
    pack = transfer.build_pack(full_record)

    document = transfer.pack_document(pack)
    pdf = transfer.pack_pdf(pack)
    html = transfer.pack_html(pack)

    assert pdf.startswith(b"%PDF")
    assert len(document.pages) > 0
    for section in ('id="programme"', 'id="off-the-job"', 'id="reviews"', 'id="placements"', 'id="training"'):
        assert section in html
    assert full_record.person.full_name in html


def test_transfer_pack_download_is_audited_with_its_contents(fellbridge, full_record, client_for):
    url = reverse("learning:download_transfer_pack", kwargs={"apprenticeship_id": full_record.public_id})

    response = client_for(fellbridge.lead).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        assert archive.read(f"transfer-pack-{full_record.person.staff_number}.pdf").startswith(b"%PDF")
    assert {"bundle.json", "programme.csv", "reviews.csv"} <= names
    assert transfer.SAFEGUARDING_FILE not in names
    event = AuditEvent.objects.get(action="downloaded_transfer_pack")
    assert event.actor == fellbridge.lead
    assert event.object_id == str(full_record.public_id)
    assert event.changes == {"safeguarding_included": False}


def test_transfer_on_a_future_date_is_planned_and_made_on_the_day(fellbridge):
    on = fellbridge.today + dt.timedelta(days=14)

    services.transfer(
        by=fellbridge.lead, apprenticeships=[fellbridge.apprenticeship], to=fellbridge.new_provider, on=on
    )

    planned = Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk)
    assert planned.status == Apprenticeship.Status.IN_LEARNING
    assert (planned.transferred_on, planned.transferred_to) == (on, fellbridge.new_provider)
    assert services.make_planned_transfers(today=on - dt.timedelta(days=1)) == 0
    assert services.make_planned_transfers(today=on) == 1
    planned.refresh_from_db()
    assert planned.status == Apprenticeship.Status.TRANSFERRED
    assert planned.status_changed_on == on
    assert AuditEvent.objects.filter(action="made_planned_transfer").count() == 1
    assert services.make_planned_transfers(today=on) == 0


def test_transfer_planned_cannot_be_planned_twice_but_can_be_cancelled(fellbridge):
    later = fellbridge.today + dt.timedelta(days=30)
    move = {"by": fellbridge.lead, "apprenticeships": [fellbridge.apprenticeship], "on": later}
    services.transfer(**move, to=fellbridge.new_provider)

    with pytest.raises(Refused, match="already moving to Pennine Health Academy"):
        services.transfer(**move, new_provider_name="Another College")

    services.cancel_planned_transfer(by=fellbridge.lead, apprenticeship=fellbridge.apprenticeship)
    cancelled = Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk)
    assert (cancelled.transferred_on, cancelled.transferred_to) == (None, None)
    assert AuditEvent.objects.filter(action="cancelled_planned_transfer").exists()
    assert services.make_planned_transfers(today=later) == 0


def test_transfer_planned_ends_when_the_apprentice_withdraws(fellbridge):
    services.transfer(
        by=fellbridge.lead,
        apprenticeships=[fellbridge.apprenticeship],
        to=fellbridge.new_provider,
        on=fellbridge.today + dt.timedelta(days=30),
    )

    services.change_status(
        by=fellbridge.lead,
        apprenticeship=fellbridge.apprenticeship,
        to="withdrawn",
        effective_on=fellbridge.today,
    )

    withdrawn = Apprenticeship.objects.get(pk=fellbridge.apprenticeship.pk)
    assert (withdrawn.status, withdrawn.transferred_to) == (Apprenticeship.Status.WITHDRAWN, None)
