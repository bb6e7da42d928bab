"""The tripartite review is about progress too: targets set and, at the next review, met or not; progress
against the standard's knowledge, skills and behaviours; and the off-the-job training discussed against
the hours planned and logged by the day it was held. None of it may be skipped before sign-off."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.learning import transfer
from candour.learning.models import ProgressReview, ReviewTarget
from candour.learning.queries.apprenticeships import missing_answers
from candour.learning.services import apprenticeships as services
from tests.learning.apprentice_fixtures import GOOD_ANSWERS, fellbridge, log_hours  # noqa: F401

Progress = ProgressReview.Progress
Outcome = ReviewTarget.Outcome
DAY = dt.timedelta(days=1)


@pytest.fixture
def review(fellbridge) -> ProgressReview:
    return ProgressReview.objects.create(
        apprenticeship=fellbridge.apprenticeship, due_on=fellbridge.today - 3 * DAY
    )


def _record(world, review, **fields):
    values = {
        "held_on": world.today - DAY,
        "progress_summary": "Confident with observations.",
        "welfare_details": "",
        **GOOD_ANSWERS,
        "knowledge_progress": Progress.ON_TRACK,
        "knowledge_notes": "Explains the pathophysiology of sepsis well.",
        "skills_progress": Progress.BEHIND,
        "skills_notes": "Needs more supervised cannulation.",
        "behaviours_progress": Progress.AHEAD,
        "behaviours_notes": "Calm with distressed relatives.",
        "off_the_job_discussion": "Behind by a day; a study day booked for next month.",
        "targets": [services.NewTarget("Ten supervised cannulations", world.today + 60 * DAY)],
        **fields,
    }
    return services.record_review(by=world.lead, review=review, **values)


def test_review_keeps_targets_progress_against_the_standard_and_the_off_the_job_discussion(
    fellbridge, review
):
    log_hours(fellbridge.apprenticeship, "30")

    _record(fellbridge, review)

    review.refresh_from_db()
    assert (review.knowledge_progress, review.skills_progress, review.behaviours_progress) == (
        Progress.ON_TRACK,
        Progress.BEHIND,
        Progress.AHEAD,
    )
    assert review.skills_notes == "Needs more supervised cannulation."
    assert review.off_the_job_logged_hours == 30
    assert review.off_the_job_planned_hours > 30
    target = review.targets.get()
    assert (target.description, target.due_on, target.outcome) == (
        "Ten supervised cannulations",
        fellbridge.today + 60 * DAY,
        "",
    )
    changes = AuditEvent.objects.get(action="recorded_review").changes["fields"]
    assert "knowledge_progress" in changes and "targets" in changes


def test_review_at_the_next_meeting_says_how_each_earlier_target_went(fellbridge, review):
    _record(fellbridge, review)
    earlier = review.targets.get()
    following = fellbridge.apprenticeship.reviews.get(held_on__isnull=True)

    _record(fellbridge, following, held_on=fellbridge.today, outcomes={earlier.public_id: Outcome.PARTLY_MET})

    earlier.refresh_from_db()
    assert (earlier.outcome, earlier.outcome_review) == (Outcome.PARTLY_MET, following)


def test_review_cannot_be_signed_off_without_targets_progress_or_the_off_the_job_discussion(
    fellbridge, review
):
    _record(
        fellbridge,
        review,
        knowledge_progress="",
        behaviours_progress="",
        off_the_job_discussion="",
        targets=[],
    )

    missing = missing_answers(ProgressReview.objects.get(pk=review.pk))

    assert "Record progress against the standard's knowledge" in missing
    assert "Record progress against the standard's behaviours" in missing
    assert "Record what was discussed about off-the-job training" in missing
    assert "Set at least one target for the next review" in missing
    assert not any("skills" in item for item in missing)


def test_review_cannot_be_signed_off_until_earlier_targets_have_an_outcome(fellbridge, review):
    _record(fellbridge, review)
    following = fellbridge.apprenticeship.reviews.get(held_on__isnull=True)
    _record(fellbridge, following, held_on=fellbridge.today)

    missing = missing_answers(ProgressReview.objects.get(pk=following.pk))

    assert "Say how each target set at the last review went" in missing


def test_review_target_needs_words_and_a_date_after_the_review(fellbridge, review):
    with pytest.raises(services.Refused, match="must be after the review"):
        _record(
            fellbridge,
            review,
            targets=[services.NewTarget("Ten supervised cannulations", fellbridge.today - DAY)],
        )

    assert not ReviewTarget.objects.exists()


def _form(fellbridge, **fields) -> dict:
    held = fellbridge.today - DAY
    due = fellbridge.today + 60 * DAY
    return {
        "held_on_day": held.day,
        "held_on_month": held.month,
        "held_on_year": held.year,
        "progress_summary": "Confident with observations.",
        **GOOD_ANSWERS,
        "knowledge_progress": "on_track",
        "knowledge_notes": "Explains sepsis well.",
        "skills_progress": "behind",
        "skills_notes": "",
        "behaviours_progress": "ahead",
        "behaviours_notes": "",
        "off_the_job_discussion": "A study day booked.",
        "target_1_description": "Ten supervised cannulations",
        "target_1_due_on_day": due.day,
        "target_1_due_on_month": due.month,
        "target_1_due_on_year": due.year,
        **fields,
    }


def test_review_form_records_targets_and_progress_and_the_record_shows_them(fellbridge, review, client_for):
    url = reverse(
        "learning:record_review",
        kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": review.public_id},
    )
    lead = client_for(fellbridge.lead)

    form_page = lead.get(url).content.decode()
    assert "Knowledge" in form_page and "Off-the-job training" in form_page and "Targets" in form_page

    lead.post(url, _form(fellbridge))

    assert review.targets.get().description == "Ten supervised cannulations"
    record = (
        client_for(fellbridge.line_manager)
        .get(
            reverse(
                "learning:show_apprenticeship",
                kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id},
            )
        )
        .content.decode()
    )
    assert "Ten supervised cannulations" in record
    assert "Behind plan" in record and "A study day booked." in record


def test_review_form_refuses_a_target_without_its_date(fellbridge, review, client_for):
    url = reverse(
        "learning:record_review",
        kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": review.public_id},
    )

    page = client_for(fellbridge.lead).post(
        url, _form(fellbridge, target_1_due_on_day="", target_1_due_on_month="", target_1_due_on_year="")
    )

    assert "Enter the date target 1 is due by" in page.content.decode()
    assert not ReviewTarget.objects.exists()


def test_transfer_pack_carries_targets_and_progress(fellbridge, review):
    _record(fellbridge, review)

    pack = transfer.build_pack(fellbridge.apprenticeship)
    files = transfer.bundle_files(pack)

    assert "Ten supervised cannulations" in files["review_targets.csv"].decode()
    assert "Needs more supervised cannulation." in files["review_progress.csv"].decode()
    assert "Ten supervised cannulations" in transfer.pack_html(pack)
