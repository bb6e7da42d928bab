"""Progress reviews: recorded with welfare answers, signed off by all three only when every answer is in,
and a worrying answer raises one confidential concern that the safeguarding team sees and the line manager
never does."""

# ruff: noqa: F811 - the fixtures imported from apprentice_fixtures are asked for by name as parameters

import datetime as dt

import pytest
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.learning.models import ProgressReview
from candour.learning.services import apprenticeships as services
from candour.speakup.access import can_open, cases_for
from candour.speakup.models import Concern, Identity, Kind, Route
from tests.learning.apprentice_fixtures import GOOD_ANSWERS, complete_review, fellbridge  # noqa: F401

Answer = ProgressReview.Answer
Party = services.Party


@pytest.fixture
def review(fellbridge) -> ProgressReview:
    return ProgressReview.objects.create(
        apprenticeship=fellbridge.apprenticeship, due_on=fellbridge.today - dt.timedelta(days=3)
    )


def _record(world, review, **answers):
    fields = {
        "held_on": world.today - dt.timedelta(days=1),
        "progress_summary": "Confident with observations; next, a placement in the emergency department.",
        "welfare_details": "",
        **GOOD_ANSWERS,
        **complete_review(world.today - dt.timedelta(days=1)),
        **answers,
    }
    return services.record_review(by=world.lead, review=review, **fields)


def _sign_all(world, review, **fields):
    return services.sign_off_review(
        by=world.lead,
        review=review,
        parties=[Party.APPRENTICE, Party.EMPLOYER, Party.PROVIDER],
        signed_on=world.today,
        employer=world.mentor,
        provider_name="Sam Provider",
        **fields,
    )


def test_review_signed_off_by_all_three_when_every_answer_is_recorded(fellbridge, review):
    _record(fellbridge, review)

    signed = _sign_all(fellbridge, review)

    assert signed.is_signed_off
    assert signed.employer_signed_by == fellbridge.mentor
    assert signed.provider_signed_by == "Sam Provider"
    assert AuditEvent.objects.filter(action="signed_review").exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("feels_safe", "Answer the question: Do you feel safe at work and on placement?"),
        ("knows_how_to_raise", "Answer the question: Do you know how to raise a concern?"),
        ("knows_safeguarding_contact", "Answer the question: Do you know who your safeguarding contact is?"),
        (
            "witnessed_uncomfortable",
            "Answer the question: Have you experienced or witnessed behaviour that made you uncomfortable?",
        ),
        ("progress_summary", "Enter a summary of the apprentice's progress"),
    ],
)
def test_review_sign_off_refused_with_a_missing_answer(fellbridge, review, missing, message):
    _record(fellbridge, review, **{missing: ""})

    with pytest.raises(Refused) as refused:
        _sign_all(fellbridge, review)

    assert message in refused.value.message
    review.refresh_from_db()
    assert not (review.apprentice_signed_on or review.employer_signed_on or review.provider_signed_on)


def test_review_sign_off_refused_before_it_is_held(fellbridge, review):
    with pytest.raises(Refused) as refused:
        _sign_all(fellbridge, review)

    assert "Enter the date the review was held" in refused.value.message


def test_review_record_locked_once_anyone_has_signed(fellbridge, review):
    _record(fellbridge, review)
    services.sign_off_review(
        by=fellbridge.lead, review=review, parties=[Party.PROVIDER], signed_on=fellbridge.today
    )

    with pytest.raises(Refused, match="has been signed"):
        _record(fellbridge, review, feels_safe=Answer.NO)


def test_review_with_good_answers_raises_no_concern(fellbridge, review):
    recorded = _record(fellbridge, review)

    assert not recorded.concern_raised
    assert not Concern.objects.exists()
    assert recorded.review.welfare_concern_id is None


def test_review_welfare_answer_raises_a_confidential_safeguarding_concern_once(fellbridge, review):
    first = _record(
        fellbridge,
        review,
        witnessed_uncomfortable=Answer.YES,
        welfare_details="A crew mate made comments about my body on night shifts.",
    )
    again = _record(
        fellbridge,
        review,
        feels_safe=Answer.NOT_SURE,
        witnessed_uncomfortable=Answer.YES,
        welfare_details="A crew mate made comments about my body on night shifts. It continues.",
    )

    concern = Concern.objects.get()
    assert first.concern_raised and not again.concern_raised
    assert again.review.welfare_concern_id == concern.pk and again.review.welfare_concern_raised
    assert concern.identity == Identity.CONFIDENTIAL
    assert concern.route == Route.SAFEGUARDING
    assert concern.kind == Kind.EXPERIENCED and concern.behaviour == "inappropriate"
    assert concern.raised_by == fellbridge.lead
    assert concern.station == fellbridge.a1
    assert fellbridge.apprentice.person.full_name in concern.narrative
    assert "comments about my body" in concern.narrative
    assert "line manager is not told" in concern.narrative


def test_review_not_feeling_safe_raises_a_wellbeing_concern_at_the_placement_station(fellbridge, review):
    fellbridge.apprenticeship.placements.create(
        setting="Ambulance station",
        station=fellbridge.a2,
        starts_on=fellbridge.today - dt.timedelta(days=30),
        ends_on=fellbridge.today + dt.timedelta(days=30),
    )

    _record(fellbridge, review, feels_safe=Answer.NO)

    concern = Concern.objects.get()
    assert concern.kind == Kind.WORKER_WELLBEING
    assert concern.station == fellbridge.a2


def test_review_welfare_concern_visible_to_the_safeguarding_lead_and_not_the_line_manager(fellbridge, review):
    _record(fellbridge, review, feels_safe=Answer.NOT_SURE)
    concern = Concern.objects.get()

    assert can_open(fellbridge.safeguarding_lead, concern)
    assert concern in cases_for(fellbridge.safeguarding_lead)
    assert fellbridge.apprentice.person.line_manager == fellbridge.line_manager.person
    assert not can_open(fellbridge.line_manager, concern)
    assert concern not in cases_for(fellbridge.line_manager)
    assert not can_open(fellbridge.guardian, concern)


def test_review_welfare_concern_shows_the_reviewer_and_the_apprentice_what_happens_next(
    fellbridge, review, client_for
):
    url = reverse(
        "learning:record_review",
        kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": review.public_id},
    )
    held = fellbridge.today - dt.timedelta(days=1)
    response = client_for(fellbridge.lead).post(
        url,
        {
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
            "progress_summary": "On track.",
            "feels_safe": "no",
            "witnessed_uncomfortable": "no",
            "knows_how_to_raise": "yes",
            "knows_safeguarding_contact": "not_sure",
        },
        follow=True,
    )

    reference = Concern.objects.get().reference
    page = response.content.decode()
    assert f"reference {reference}" in page
    assert (
        "the safeguarding team will contact them confidentially, and their line manager is not told" in page
    )

    record = reverse(
        "learning:show_apprenticeship", kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id}
    )
    apprentice_page = client_for(fellbridge.apprentice).get(record).content.decode()
    assert "we raised it confidentially with the safeguarding team" in apprentice_page
    assert (
        "The safeguarding team will contact you confidentially. Your line manager is not told."
        in apprentice_page
    )

    manager_page = client_for(fellbridge.line_manager).get(record).content.decode()
    assert "safeguarding team" not in manager_page
    assert "Do you feel safe" not in manager_page


def test_review_details_required_when_they_witnessed_uncomfortable_behaviour(fellbridge, review, client_for):
    url = reverse(
        "learning:record_review",
        kwargs={"apprenticeship_id": fellbridge.apprenticeship.public_id, "review_id": review.public_id},
    )
    held = fellbridge.today
    response = client_for(fellbridge.lead).post(
        url,
        {
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
            "witnessed_uncomfortable": "not_sure",
        },
    )

    assert response.status_code == 200
    assert (
        "Enter what they experienced or witnessed, or write that they chose not to say"
        in response.content.decode()
    )
    assert not Concern.objects.exists()


def test_review_held_schedules_the_next_one_three_months_on(fellbridge, review):
    recorded = _record(fellbridge, review, held_on=dt.date(2026, 8, 31))

    following = fellbridge.apprenticeship.reviews.exclude(pk=recorded.review.pk).get()
    assert following.due_on == dt.date(2026, 11, 30)
    assert following.held_on is None


def test_review_audit_names_the_fields_never_the_answers(fellbridge, review):
    _record(fellbridge, review, feels_safe=Answer.NO, welfare_details="Shouted at in the crew room")

    event = AuditEvent.objects.get(action="recorded_review")
    assert "feels_safe" in event.changes["fields"]
    assert "crew room" not in str(event.changes) and "no" not in event.changes.values()


def test_review_apprentice_signs_only_their_own_part(fellbridge, review):
    _record(fellbridge, review)

    services.sign_off_review(
        by=fellbridge.apprentice, review=review, parties=[Party.APPRENTICE], signed_on=fellbridge.today
    )
    with pytest.raises(Refused):
        services.sign_off_review(
            by=fellbridge.apprentice,
            review=review,
            parties=[Party.EMPLOYER],
            signed_on=fellbridge.today,
            employer=fellbridge.mentor,
        )

    review.refresh_from_db()
    assert review.apprentice_signed_on == fellbridge.today
    assert review.employer_signed_on is None


def test_review_line_manager_cannot_record_or_sign(fellbridge, review):
    with pytest.raises(Refused):
        services.record_review(
            by=fellbridge.line_manager,
            review=review,
            held_on=fellbridge.today,
            progress_summary="",
            welfare_details="",
            **GOOD_ANSWERS,
        )


def test_review_welfare_concern_hidden_from_a_line_manager_who_is_also_a_safeguarding_lead(
    fellbridge, review
):
    from candour.people.models import Membership
    from candour.people.roles import Role

    Membership.objects.create(
        user=fellbridge.line_manager,
        unit=fellbridge.safeguarding_lead.memberships.first().unit,
        role=Role.SAFEGUARDING_LEAD,
        starts_on=dt.date(2020, 1, 1),
    )
    _record(fellbridge, review, feels_safe=Answer.NO)
    concern = Concern.objects.get()
    manager = type(fellbridge.line_manager).objects.get(pk=fellbridge.line_manager.pk)

    assert concern.withheld_from == fellbridge.apprentice.person.line_manager
    assert not can_open(manager, concern)
    assert can_open(fellbridge.safeguarding_lead, concern)
