"""Importing an incoming apprentice's bundle through the importer framework: a pack made here round-trips into
a fresh person; every bad row in every file is reported and nothing is kept; re-importing changes nothing."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candour.core import exports
from candour.core.models import AuditEvent
from candour.learning import transfer
from candour.learning.models import (
    Apprenticeship,
    ComplianceItem,
    OffTheJobEntry,
    Placement,
    ProgressReview,
    Requirement,
    Subject,
    TrainingRecord,
)
from candour.learning.services import apprenticeships as services
from candour.learning.transfer_import import import_transfer_bundle
from tests.learning.apprentice_fixtures import complete_review, fellbridge, log_hours  # noqa: F401
from tests.support.factories import PersonFactory

Answer = ProgressReview.Answer


def _bundle(files: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "bundle.zip"
    return buffer


@pytest.fixture
def exported(fellbridge):
    """A transferred apprentice's bundle, and a fresh person here with the same staff number and name (the
    exported person's number is changed, as if they were in another trust's database)."""
    apprenticeship = fellbridge.apprenticeship
    apprenticeship.placements.create(
        setting="Emergency department", starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 4, 10)
    )
    log_hours(apprenticeship, "7.5")
    log_hours(apprenticeship, "6", week_starting=apprenticeship.start_date + dt.timedelta(weeks=1))
    review = apprenticeship.reviews.create(due_on=fellbridge.today - dt.timedelta(days=2))
    services.record_review(
        by=fellbridge.lead,
        review=review,
        held_on=fellbridge.today - dt.timedelta(days=1),
        progress_summary="Strong assessments; pharmacology next.",
        feels_safe=Answer.NOT_SURE,
        witnessed_uncomfortable=Answer.NO,
        welfare_details="",
        knows_how_to_raise=Answer.YES,
        knows_safeguarding_contact=Answer.YES,
        **complete_review(fellbridge.today - dt.timedelta(days=1)),
    )
    services.sign_off_review(
        by=fellbridge.lead,
        review=review,
        parties=["apprentice", "employer", "provider"],
        signed_on=fellbridge.today,
        employer=fellbridge.mentor,
        provider_name="Sam Provider",
    )
    TrainingRecord.objects.create(
        person=apprenticeship.person,
        subject=Subject.objects.get(code="sg-children-2"),
        completed_on=dt.date(2026, 2, 1),
        hours=Decimal("3.5"),
        provider="Northmoor College",
    )
    services.transfer(
        by=fellbridge.lead, apprenticeships=[apprenticeship], to=fellbridge.new_provider, on=fellbridge.today
    )
    old = apprenticeship.person
    pack = transfer.build_pack(Apprenticeship.objects.get(pk=apprenticeship.pk))
    files = transfer.bundle_files(pack)
    staff_number = old.staff_number
    old.staff_number = "MOVED-AWAY"
    old.save()
    fresh = PersonFactory(
        staff_number=staff_number,
        given_name=old.given_name,
        family_name=old.family_name,
        station=fellbridge.b1,
        job_role=old.job_role,
        is_apprentice=True,
    )
    return files, fresh


def _imported(person):
    apprenticeship = person.apprenticeships.get()
    return {
        "programme": (
            apprenticeship.standard,
            apprenticeship.level,
            apprenticeship.start_date,
            apprenticeship.planned_end_date,
            apprenticeship.contracted_hours_per_week,
        ),
        "placements": list(apprenticeship.placements.values_list("setting", "starts_on", "ends_on")),
        "off_the_job": list(apprenticeship.off_the_job.values_list("week_starting", "hours", "activity")),
        "reviews": [
            (
                r.due_on,
                r.held_on,
                r.progress_summary,
                r.apprentice_signed_on,
                r.employer_signed_on,
                r.provider_signed_by,
            )
            for r in apprenticeship.reviews.order_by("due_on")
        ],
        "training": list(
            person.training_records.values_list("subject__code", "completed_on", "hours", "provider")
        ),
    }


def test_transfer_bundle_round_trips_into_a_fresh_person(fellbridge, exported):
    files, fresh = exported
    original = fellbridge.apprenticeship

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert result.ok, [str(error) for error in result.errors]
    imported = result.apprenticeship
    assert imported.person == fresh
    assert imported.status == Apprenticeship.Status.IN_LEARNING
    assert imported.provider == fellbridge.new_provider
    assert imported.station == fellbridge.b1 and imported.mentor is None
    expected = _imported(original.person)
    assert _imported(fresh) == expected
    assert fresh.training_records.get().source == TrainingRecord.Source.TRANSFER
    assert AuditEvent.objects.filter(action="imported_transfer_bundle", actor=fellbridge.lead).exists()


def test_transfer_bundle_brings_no_welfare_answers(fellbridge, exported):
    files, fresh = exported

    import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    for review in ProgressReview.objects.filter(apprenticeship__person=fresh):
        assert not (review.feels_safe or review.witnessed_uncomfortable or review.welfare_details)
        assert review.welfare_concern_id is None and not review.welfare_concern_raised


def test_transfer_bundle_reimported_changes_nothing(fellbridge, exported):
    files, fresh = exported
    import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))
    before = _imported(fresh)

    again = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert again.ok
    assert _imported(fresh) == before
    assert all(outcome.created == 0 and outcome.updated == 0 for outcome in again.results.values())


def test_transfer_bundle_training_counts_towards_compliance(fellbridge, exported):
    files, fresh = exported
    Requirement.objects.create(job_role=fresh.job_role, subject=Subject.objects.get(code="sg-children-2"))

    import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    item = ComplianceItem.objects.get(person=fresh, subject__code="sg-children-2")
    assert item.last_completed_on == dt.date(2026, 2, 1)


def test_transfer_bundle_for_someone_not_in_the_roster_is_refused(fellbridge, exported):
    files, fresh = exported
    fresh.staff_number = "NOT-HERE"
    fresh.save()

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert not result.ok
    assert any("staff roster" in str(error) and "programme.csv" in str(error) for error in result.errors)
    assert not Apprenticeship.objects.filter(person=fresh).exists()


def test_transfer_bundle_for_a_different_name_is_refused(fellbridge, exported):
    files, fresh = exported
    fresh.family_name = "Someone-Else"
    fresh.save()

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert [error.error.column for error in result.errors] == ["family_name"]


def _replace_line(content: bytes, line: int, new: str) -> bytes:
    lines = content.decode().splitlines()
    lines[line - 1] = new
    return ("\r\n".join(lines) + "\r\n").encode()


def test_transfer_bundle_bad_rows_in_every_file_reported_and_nothing_imported(fellbridge, exported):
    files, fresh = exported
    files["off_the_job.csv"] = _replace_line(files["off_the_job.csv"], 3, "2026-13-01,41,Teaching")
    files["placements.csv"] += b"Ward,,2026-05-01,2026-04-01\r\n"
    files["training_records.csv"] += b"no-such-subject,Mystery,2026-01-01,,\r\n"
    files["reviews.csv"] += b"2026-01-01,,,2026-01-02,,,,\r\n"
    counts = (Apprenticeship.objects.count(), OffTheJobEntry.objects.count(), Placement.objects.count())

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert not result.ok
    reported = {(error.file, error.error.line, error.error.column) for error in result.errors}
    assert ("off_the_job.csv", 3, "week_starting") in reported
    assert ("off_the_job.csv", 3, "hours") in reported
    assert ("placements.csv", 3, "ends_on") in reported
    assert ("training_records.csv", 3, "subject_code") in reported
    assert ("reviews.csv", 4, "apprentice_signed_on") in reported
    assert (
        Apprenticeship.objects.count(),
        OffTheJobEntry.objects.count(),
        Placement.objects.count(),
    ) == counts
    assert not fresh.apprenticeships.exists() and not fresh.training_records.exists()
    assert not AuditEvent.objects.filter(action="imported_transfer_bundle").exists()


def test_transfer_bundle_with_a_wrong_header_is_refused(fellbridge, exported):
    files, _ = exported
    files["off_the_job.csv"] = _replace_line(files["off_the_job.csv"], 1, "week,hours,activity")

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert {str(error) for error in result.errors} >= {
        "off_the_job.csv: Line 1, week_starting: missing from the header"
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda files: files.pop("reviews.csv"), "it has no reviews.csv"),
        (lambda files: files.update({"bundle.json": b"{not json"}), "not readable JSON"),
        (
            lambda files: files.update(
                {"bundle.json": json.dumps({"format": transfer.BUNDLE_FORMAT, "version": 9})}
            ),
            "version 9",
        ),
    ],
)
def test_transfer_bundle_that_is_not_one_is_refused(fellbridge, exported, change, message):
    files, _ = exported
    change(files)

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert not result.ok and message in str(result.errors[0])


def test_transfer_bundle_not_a_zip_is_refused(fellbridge):
    result = import_transfer_bundle(by=fellbridge.lead, file=io.BytesIO(b"staff_number,given_name\r\n"))

    assert "not a zip file" in str(result.errors[0])


def test_transfer_bundle_page_imports_and_shows_the_record(fellbridge, exported, client_for):
    files, fresh = exported
    upload = SimpleUploadedFile("bundle.zip", _bundle(files).getvalue(), content_type="application/zip")

    response = client_for(fellbridge.lead).post(
        reverse("learning:import_transfer_bundle"), {"bundle": upload}, follow=True
    )

    assert response.status_code == 200
    assert "Apprenticeship imported." in response.content.decode()
    assert fresh.apprenticeships.exists()


def test_transfer_bundle_page_lists_every_bad_row(fellbridge, exported, client_for):
    files, _ = exported
    files["off_the_job.csv"] += b"2026-01-05,0,Nothing\r\n"
    upload = SimpleUploadedFile("bundle.zip", _bundle(files).getvalue(), content_type="application/zip")

    response = client_for(fellbridge.lead).post(
        reverse("learning:import_transfer_bundle"), {"bundle": upload}
    )

    page = response.content.decode()
    assert "The bundle was not imported" in page
    assert "off_the_job.csv: Line 4, hours" in page


def test_transfer_bundle_page_refuses_an_over_large_upload(fellbridge, client_for, settings):
    settings.CANDOUR_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("bundle.zip", b"x" * 101, content_type="application/zip")

    response = client_for(fellbridge.lead).post(
        reverse("learning:import_transfer_bundle"), {"bundle": upload}
    )

    assert "a bundle can be up to" in response.content.decode()


def _bomb(rows: int) -> bytes:
    """Off-the-job rows that compress to almost nothing."""
    return b"week_starting,hours,activity\r\n" + b"2026-01-05,1.0,Reading\r\n" * rows


def test_transfer_bundle_file_that_would_unpack_too_large_is_refused_before_it_is_unpacked(
    fellbridge, exported, settings
):
    settings.CANDOUR_BUNDLE_MAX_FILE_BYTES = 1024 * 1024
    files, person = exported
    files["off_the_job.csv"] = _bomb(100_000)  # 2.4 MB, a few kilobytes zipped
    bundle = _bundle(files, zipfile.ZIP_DEFLATED)
    assert len(bundle.getvalue()) < 50_000

    result = import_transfer_bundle(by=fellbridge.lead, file=bundle)

    assert [str(error) for error in result.errors] == [
        "off_the_job.csv would unpack to 2.3 MB; a file in a transfer bundle can be up to 1.0 MB. "
        "Nothing was imported."
    ]
    assert not person.apprenticeships.exists()


def test_transfer_bundle_file_with_more_rows_than_a_bundle_holds_is_refused(fellbridge, exported, settings):
    settings.CANDOUR_BUNDLE_MAX_ROWS = 500
    files, person = exported
    files["off_the_job.csv"] = _bomb(501)

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert [str(error) for error in result.errors] == [
        "off_the_job.csv: has more than 500 rows: too many for a bundle's file"
    ]
    assert not person.apprenticeships.exists()


def test_transfer_bundle_brings_back_text_escaped_for_spreadsheets_as_it_was_written(fellbridge, exported):
    files, person = exported
    files["reviews.csv"] = files["reviews.csv"].replace(
        b"Strong assessments; pharmacology next.", exports.safe_cell("=1+1; then pharmacology").encode()
    )
    assert b"'=1+1" in files["reviews.csv"]

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert result.ok, [str(error) for error in result.errors]
    summaries = [review.progress_summary for review in person.apprenticeships.get().reviews.all()]
    assert "=1+1; then pharmacology" in summaries


def test_transfer_bundle_with_an_empty_part_is_imported(fellbridge, exported):
    files, person = exported
    files["placements.csv"] = b"setting,station_name,starts_on,ends_on\r\n"

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert result.ok and not person.apprenticeships.get().placements.exists()


def test_transfer_bundle_with_no_apprentice_is_refused(fellbridge, exported):
    files, _ = exported
    files["programme.csv"] = files["programme.csv"].split(b"\r\n")[0] + b"\r\n"

    result = import_transfer_bundle(by=fellbridge.lead, file=_bundle(files))

    assert [str(error) for error in result.errors] == [
        "programme.csv: The file has a header but no rows under it, so there is nothing to import."
    ]
