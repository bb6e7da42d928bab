"""Transfer packs: what an apprentice takes to a new provider.

A pack is a PDF for the person and a machine-readable bundle (JSON, and one CSV per part) for the receiving
provider's system, zipped. The CSVs in CSV_FILES are also what `transfer_import` reads when another Candour
trust receives the apprentice, so their columns are a contract: change them only with a new bundle version.
Later additions come as files of their own (ADDED_CSV_FILES), which a reader of version 1 may ignore: the
identifiers the receiving provider matches records on (unique learner number, date of birth, standard
code), and each review's progress against the standard and its targets.

Safeguarding information never leaves by default. Reviews travel without their welfare answers, details or
concern ids; a safeguarding summary is included only when an education lead has recorded a decision to share
it, with its lawful basis (SafeguardingShareDecision).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from candour.core import exports
from candour.learning.models import Apprenticeship, ProgressReview, ReviewTarget
from candour.learning.queries.apprenticeships import KSB_AREAS, latest_share_decision, off_the_job_for

BUNDLE_FORMAT = "candour.apprenticeship-transfer"
BUNDLE_VERSION = 1
MANIFEST = "bundle.json"
SAFEGUARDING_FILE = "safeguarding_summary.json"

PROGRAMME_COLUMNS = [
    "staff_number",
    "given_name",
    "family_name",
    "standard",
    "level",
    "start_date",
    "planned_end_date",
    "contracted_hours_per_week",
    "status",
    "provider_name",
    "provider_ukprn",
    "transferred_on",
    "transferred_to_name",
    "transferred_to_ukprn",
]
PLACEMENT_COLUMNS = ["setting", "station_name", "starts_on", "ends_on"]
OFF_THE_JOB_COLUMNS = ["week_starting", "hours", "activity"]
# Deliberately without the welfare answers, their details and any concern id.
REVIEW_COLUMNS = [
    "due_on",
    "held_on",
    "progress_summary",
    "apprentice_signed_on",
    "employer_signed_by",
    "employer_signed_on",
    "provider_signed_by",
    "provider_signed_on",
]
TRAINING_COLUMNS = ["subject_code", "subject_name", "completed_on", "hours", "provider"]
CSV_FILES = {
    "programme.csv": PROGRAMME_COLUMNS,
    "placements.csv": PLACEMENT_COLUMNS,
    "off_the_job.csv": OFF_THE_JOB_COLUMNS,
    "reviews.csv": REVIEW_COLUMNS,
    "training_records.csv": TRAINING_COLUMNS,
}
LEARNER_COLUMNS = ["staff_number", "unique_learner_number", "date_of_birth", "standard_code"]
# A review is found by the day it was due, as in reviews.csv.
REVIEW_PROGRESS_COLUMNS = [
    "review_due_on",
    "knowledge_progress",
    "knowledge_notes",
    "skills_progress",
    "skills_notes",
    "behaviours_progress",
    "behaviours_notes",
    "off_the_job_discussion",
    "off_the_job_planned_hours",
    "off_the_job_logged_hours",
]
REVIEW_TARGET_COLUMNS = ["set_at_review_due_on", "description", "due_on", "outcome"]
ADDED_CSV_FILES = {
    "learner.csv": LEARNER_COLUMNS,
    "review_progress.csv": REVIEW_PROGRESS_COLUMNS,
    "review_targets.csv": REVIEW_TARGET_COLUMNS,
}


@dataclass(frozen=True)
class SafeguardingSummary:
    decided_on: str
    decided_by: str
    lawful_basis: str
    summary: str


@dataclass(frozen=True)
class TransferPack:
    """Everything a pack holds, as text: dates in ISO form, hours as decimals."""

    generated_on: str
    person_name: str
    staff_number: str
    programme: dict[str, str]
    learner: dict[str, str]
    off_the_job_summary: dict[str, str]
    placements: list[dict[str, str]]
    off_the_job: list[dict[str, str]]
    reviews: list[dict[str, str]]
    review_progress: list[dict[str, str]]
    review_targets: list[dict[str, str]]
    training_records: list[dict[str, str]]
    safeguarding: SafeguardingSummary | None

    @property
    def file_stem(self) -> str:
        return f"transfer-pack-{self.staff_number}"

    @property
    def rows(self) -> dict[str, list[dict[str, str]]]:
        return {
            "programme.csv": [self.programme],
            "placements.csv": self.placements,
            "off_the_job.csv": self.off_the_job,
            "reviews.csv": self.reviews,
            "training_records.csv": self.training_records,
            "learner.csv": [self.learner],
            "review_progress.csv": self.review_progress,
            "review_targets.csv": self.review_targets,
        }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_pack(apprenticeship: Apprenticeship) -> TransferPack:
    """Read one apprenticeship into a pack (a handful of queries)."""
    person = apprenticeship.person
    today = timezone.localdate()
    off_the_job = off_the_job_for(apprenticeship, today)
    decision = latest_share_decision(apprenticeship)
    reviews = list(
        apprenticeship.reviews.select_related("employer_signed_by")
        .prefetch_related("targets")
        .order_by("due_on")
    )
    records = person.training_records.select_related("subject").order_by("completed_on", "subject__code")
    return TransferPack(
        generated_on=today.isoformat(),
        person_name=person.full_name,
        staff_number=person.staff_number,
        programme={
            "staff_number": person.staff_number,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "standard": apprenticeship.standard,
            "level": _text(apprenticeship.level),
            "start_date": _text(apprenticeship.start_date),
            "planned_end_date": _text(apprenticeship.planned_end_date),
            "contracted_hours_per_week": _text(apprenticeship.contracted_hours_per_week),
            "status": apprenticeship.status,
            "provider_name": apprenticeship.provider.name,
            "provider_ukprn": apprenticeship.provider.ukprn,
            "transferred_on": _text(apprenticeship.transferred_on),
            "transferred_to_name": apprenticeship.transferred_to.name
            if apprenticeship.transferred_to
            else "",
            "transferred_to_ukprn": apprenticeship.transferred_to.ukprn
            if apprenticeship.transferred_to
            else "",
        },
        learner={
            "staff_number": person.staff_number,
            "unique_learner_number": apprenticeship.unique_learner_number,
            "date_of_birth": apprenticeship.date_of_birth,
            "standard_code": apprenticeship.standard_code,
        },
        off_the_job_summary={
            "hours_a_week_expected": _text(off_the_job.weekly_hours.normalize()),
            "hours_planned_to_date": _text(off_the_job.planned.quantize(Decimal("0.1"))),
            "hours_logged_to_date": _text(off_the_job.actual),
        },
        placements=[
            {
                "setting": placement.setting,
                "station_name": placement.station.name if placement.station else "",
                "starts_on": _text(placement.starts_on),
                "ends_on": _text(placement.ends_on),
            }
            for placement in apprenticeship.placements.select_related("station").order_by("starts_on")
        ],
        off_the_job=[
            {
                "week_starting": _text(entry.week_starting),
                "hours": _text(entry.hours),
                "activity": entry.activity,
            }
            for entry in apprenticeship.off_the_job.order_by("week_starting", "id")
        ],
        reviews=[
            {
                "due_on": _text(review.due_on),
                "held_on": _text(review.held_on),
                "progress_summary": review.progress_summary,
                "apprentice_signed_on": _text(review.apprentice_signed_on),
                "employer_signed_by": review.employer_signed_by.full_name
                if review.employer_signed_by
                else "",
                "employer_signed_on": _text(review.employer_signed_on),
                "provider_signed_by": review.provider_signed_by,
                "provider_signed_on": _text(review.provider_signed_on),
            }
            for review in reviews
        ],
        review_progress=[
            {
                "review_due_on": _text(review.due_on),
                **{f"{area}_progress": getattr(review, f"{area}_progress") for area in KSB_AREAS},
                **{f"{area}_notes": getattr(review, f"{area}_notes") for area in KSB_AREAS},
                "off_the_job_discussion": review.off_the_job_discussion,
                "off_the_job_planned_hours": _text(review.off_the_job_planned_hours),
                "off_the_job_logged_hours": _text(review.off_the_job_logged_hours),
            }
            for review in reviews
            if review.held_on
        ],
        review_targets=[
            {
                "set_at_review_due_on": _text(review.due_on),
                "description": target.description,
                "due_on": _text(target.due_on),
                "outcome": target.outcome,
            }
            for review in reviews
            for target in review.targets.all()
        ],
        training_records=[
            {
                "subject_code": record.subject.code,
                "subject_name": record.subject.name,
                "completed_on": _text(record.completed_on),
                "hours": _text(record.hours),
                "provider": record.provider,
            }
            for record in records
        ],
        safeguarding=SafeguardingSummary(
            decided_on=_text(decision.decided_on),
            decided_by=decision.decided_by.display_name,
            lawful_basis=decision.lawful_basis,
            summary=decision.summary,
        )
        if decision
        else None,
    )


# The PDF


def pack_html(pack: TransferPack) -> str:
    """The person's copy of the pack as HTML, the source of the PDF."""
    return render_to_string(
        "learning/transfer_pack.jinja",
        {
            "pack": pack,
            "progress_labels": dict(ProgressReview.Progress.choices),
            "outcome_labels": dict(ReviewTarget.Outcome.choices),
        },
    )


def _fetch_nothing(url: str, *args, **kwargs):
    # The pack is self-contained; it must never reach out to a URL or a local file named in its text.
    raise ValueError(f"Transfer packs load nothing from outside: {url}")


def pack_document(pack: TransferPack):
    """The laid-out PDF document (WeasyPrint's), whose pages can be counted."""
    # Imported here: WeasyPrint takes about two seconds to import, which every page would otherwise pay.
    import weasyprint

    return weasyprint.HTML(string=pack_html(pack), url_fetcher=_fetch_nothing).render()


def pack_pdf(pack: TransferPack) -> bytes:
    return pack_document(pack).write_pdf()


# The bundle


def csv_bytes(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """A part of the bundle as CSV, made safe to open in a spreadsheet (`transfer_import` reads it back)."""
    return exports.csv_bytes([columns, *([row.get(name, "") for name in columns] for row in rows)])


def manifest(pack: TransferPack) -> dict:
    """The whole bundle as one JSON document, with its format and version for the receiving system."""
    document = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "generated_on": pack.generated_on,
        "programme": pack.programme,
        "learner": pack.learner,
        "off_the_job_summary": pack.off_the_job_summary,
        "placements": pack.placements,
        "off_the_job": pack.off_the_job,
        "reviews": pack.reviews,
        "training_records": pack.training_records,
        "review_progress": pack.review_progress,
        "review_targets": pack.review_targets,
        "files": sorted([*CSV_FILES, *ADDED_CSV_FILES]),
    }
    if pack.safeguarding:
        document["safeguarding_summary"] = asdict(pack.safeguarding)
    return document


def bundle_files(pack: TransferPack) -> dict[str, bytes]:
    """The machine-readable part of the pack: file name → content."""
    files = {MANIFEST: json.dumps(manifest(pack), indent=2, ensure_ascii=False).encode("utf-8")}
    columns = CSV_FILES | ADDED_CSV_FILES
    for name, rows in pack.rows.items():
        files[name] = csv_bytes(columns[name], rows)
    if pack.safeguarding:
        files[SAFEGUARDING_FILE] = json.dumps(
            asdict(pack.safeguarding), indent=2, ensure_ascii=False
        ).encode()
    return files


def pack_zip(pack: TransferPack) -> bytes:
    """One apprentice's pack: the PDF for the person and the bundle for the receiving provider."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{pack.file_stem}.pdf", pack_pdf(pack))
        for name, content in bundle_files(pack).items():
            archive.writestr(name, content)
    return buffer.getvalue()


COHORT_COLUMNS = ["staff_number", "name", "standard", "level", "folder", "safeguarding_summary_included"]


def cohort_zip(apprenticeships: Iterable[Apprenticeship], *, made: Callable[[TransferPack], None]) -> bytes:
    """A cohort's packs, one folder per apprentice with their PDF and bundle, and a list of who is in it.
    Each PDF takes WeasyPrint a while, so this is the task worker's work; `made` hears of each pack done."""
    buffer = io.BytesIO()
    listing = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for apprenticeship in apprenticeships:
            pack = build_pack(apprenticeship)
            archive.writestr(f"{pack.file_stem}/{pack.file_stem}.pdf", pack_pdf(pack))
            for name, content in bundle_files(pack).items():
                archive.writestr(f"{pack.file_stem}/{name}", content)
            listing.append(
                {
                    "staff_number": pack.staff_number,
                    "name": pack.person_name,
                    "standard": pack.programme["standard"],
                    "level": pack.programme["level"],
                    "folder": f"{pack.file_stem}/",
                    "safeguarding_summary_included": "yes" if pack.safeguarding else "no",
                }
            )
            made(pack)
        archive.writestr("cohort.csv", csv_bytes(COHORT_COLUMNS, listing))
    return buffer.getvalue()
