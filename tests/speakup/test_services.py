"""Case work rules: routing, every status transition, closing needs an outcome, court-safe records."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.speakup import services
from candour.speakup.models import (
    Behaviour,
    Category,
    Entry,
    Identity,
    Kind,
    Referral,
    Route,
    Status,
)


@pytest.mark.parametrize(
    ("kind", "behaviour", "route"),
    [
        (Kind.LOW_LEVEL, "", Route.SAFEGUARDING),
        (Kind.PATIENT_SAFEGUARDING, "", Route.SAFEGUARDING),
        (Kind.PREVENT, "", Route.SAFEGUARDING),
        (Kind.EXPERIENCED, Behaviour.SEXUAL_SAFETY, Route.SAFEGUARDING),
        (Kind.EXPERIENCED, Behaviour.BULLYING, Route.GUARDIAN),
        (Kind.PATIENT_SAFETY, "", Route.GUARDIAN),
        (Kind.WORKER_WELLBEING, "", Route.GUARDIAN),
    ],
)
def test_concerns_route_to_the_right_team(kind, behaviour, route):
    assert services.route_for(kind, behaviour) == route


def test_a_new_concern_is_due_for_triage_in_two_working_days(raise_concern):
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)):  # a Friday
        concern = raise_concern().concern

    assert concern.status == Status.NEW
    assert concern.triage_due_on == dt.date(2026, 11, 24)  # the Tuesday after


def test_triage_sets_categories_threshold_owner_and_team(triage, trust, raise_concern):
    concern = triage(
        raise_concern().concern, secondary_categories=[Category.SEXUAL_SAFETY], team=[trust.guardian]
    )

    assert concern.status == Status.TRIAGED
    assert concern.categories == [Category.CONDUCT, Category.SEXUAL_SAFETY]
    assert {m.user for m in concern.team.all()} == {trust.lead, trust.guardian}
    assert AuditEvent.objects.filter(action="triaged").exists()


def test_a_case_moves_through_investigation_and_referral_to_closed(triage, trust, raise_concern):
    concern = triage(raise_concern().concern)
    concern = services.change_status(by=trust.lead, concern=concern, to=Status.INVESTIGATING)
    referral = services.refer(
        by=trust.lead, concern=concern, agency=Referral.Agency.LADO, referred_on=dt.date.today()
    )
    concern.refresh_from_db()
    assert concern.status == Status.REFERRED

    services.record_referral_outcome(
        by=trust.lead, referral=referral, outcome=Referral.Outcome.DECLINED, outcome_on=dt.date.today()
    )
    concern = services.close(
        by=trust.lead,
        concern=concern,
        reason="addressed",
        outcome="Words of advice given.",
        feedback="Thank you.",
    )

    assert concern.status == Status.CLOSED and concern.closed_on and concern.feedback_given_on
    statuses = [e.body for e in concern.entries.filter(type=Entry.Type.STATUS)]
    assert len(statuses) == 4


@pytest.mark.parametrize(
    ("start", "to"),
    [(Status.NEW, Status.INVESTIGATING), (Status.NEW, Status.REFERRED), (Status.TRIAGED, Status.NEW)],
)
def test_moves_the_rules_do_not_allow_are_refused(triage, trust, raise_concern, start, to):
    concern = raise_concern().concern
    if start == Status.TRIAGED:
        concern = triage(concern)

    with pytest.raises(Refused, match="cannot become"):
        services.change_status(by=trust.lead, concern=concern, to=to)


def test_a_new_concern_cannot_be_closed_before_triage(triage, trust, raise_concern):
    with pytest.raises(Refused):
        services.close(
            by=trust.lead, concern=raise_concern().concern, reason="addressed", outcome="x", feedback="y"
        )


@pytest.mark.parametrize(
    ("reason", "outcome", "feedback", "message"),
    [
        ("addressed", "", "Thanks", "Record the outcome"),
        ("addressed", "   ", "Thanks", "Record the outcome"),
        ("", "Done", "Thanks", "Choose why"),
        ("addressed", "Done", "", "what the person who raised it will be told"),
    ],
)
def test_closing_requires_a_reason_an_outcome_and_feedback(
    triage, trust, raise_concern, reason, outcome, feedback, message
):
    concern = triage(raise_concern().concern)

    with pytest.raises(Refused, match=message):
        services.close(by=trust.lead, concern=concern, reason=reason, outcome=outcome, feedback=feedback)
    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED


def test_closing_waits_for_a_referral_outcome(triage, trust, raise_concern):
    concern = triage(raise_concern().concern)
    services.refer(by=trust.lead, concern=concern, agency=Referral.Agency.POLICE, referred_on=dt.date.today())

    with pytest.raises(Refused, match="awaiting its outcome"):
        services.close(by=trust.lead, concern=concern, reason="addressed", outcome="Done", feedback="Thanks")


def test_the_database_refuses_a_closed_case_without_an_outcome(trust, raise_concern):
    from django.db import IntegrityError, transaction

    concern = raise_concern().concern
    with pytest.raises(IntegrityError), transaction.atomic():
        type(concern).objects.filter(pk=concern.pk).update(status=Status.CLOSED, closed_on=dt.date.today())


def test_a_correction_is_a_new_entry_and_the_original_stays(triage, trust, raise_concern):
    concern = triage(raise_concern().concern)
    note = services.add_entry(by=trust.lead, concern=concern, type=Entry.Type.NOTE, body="Met on Tuesday.")

    correction = services.correct_entry(
        by=trust.lead, entry=note, body="Met on Wednesday.", reason="Wrong day"
    )

    note.refresh_from_db()
    assert note.body == "Met on Tuesday."
    assert correction.corrects == note and "Wrong day" in correction.body
    note.body = "rewritten"
    with pytest.raises(PermissionError):
        note.save()


def test_a_future_event_date_is_refused(triage, trust, raise_concern):
    concern = triage(raise_concern().concern)

    with pytest.raises(Refused, match="future"):
        services.add_entry(
            by=trust.lead,
            concern=concern,
            type=Entry.Type.NOTE,
            body="x",
            event_on=dt.date.today() + dt.timedelta(1),
        )


def test_someone_off_the_case_cannot_work_it(trust, raise_concern):
    concern = raise_concern(kind=Kind.PATIENT_SAFETY, subject_type="process").concern  # the guardian's route

    with pytest.raises(Refused, match="not on this case"):
        services.add_entry(by=trust.lead, concern=concern, type=Entry.Type.NOTE, body="x")


def test_the_reporter_hears_the_outcome_and_answers_would_you_speak_up_again(triage, trust, raise_concern):
    raised = raise_concern(identity=Identity.ANONYMOUS)
    concern = triage(raised.concern)
    services.close(by=trust.lead, concern=concern, reason="addressed", outcome="Advice", feedback="We acted.")

    services.answer_speak_up_again_anonymously(concern=concern, answer="yes", submission="c" * 32)
    services.write_held_anonymous()

    concern.refresh_from_db()
    assert concern.speak_up_again == "yes"
    told = [entry.body for entry in concern.entries.filter(type=Entry.Type.MESSAGE_TO_REPORTER)]
    assert told == ["We acted."]


def test_a_reply_after_closure_reopens_the_conversation_for_the_case_team(triage, trust, raise_concern):
    concern = triage(raise_concern(identity=Identity.ANONYMOUS).concern)
    services.close(by=trust.lead, concern=concern, reason="addressed", outcome="Advice", feedback="Done")

    services.anonymous_reporter_replies(concern=concern, body="It has happened again", submission="d" * 32)
    services.write_held_anonymous()

    concern.refresh_from_db()
    assert concern.status == Status.CLOSED and concern.conversation_reopened_on == timezone.localdate()
    assert concern.entries.get(type=Entry.Type.MESSAGE_FROM_REPORTER).body == "It has happened again"
    answer = services.message_reporter(by=trust.lead, concern=concern, body="Thank you: we will look again")
    assert answer.type == Entry.Type.MESSAGE_TO_REPORTER


def test_a_named_reply_after_closure_reopens_the_conversation_at_once(triage, trust, raise_concern):
    concern = triage(raise_concern(identity=Identity.CONFIDENTIAL).concern)
    services.close(by=trust.lead, concern=concern, reason="addressed", outcome="Advice", feedback="Done")

    services.reporter_replies(concern=concern, body="One more thing", by=trust.apprentice)

    concern.refresh_from_db()
    assert concern.conversation_reopened_on == timezone.localdate()
    assert services.message_reporter(by=trust.lead, concern=concern, body="Noted")


def test_only_the_named_reporter_can_reply(trust, raise_concern):
    concern = raise_concern(identity=Identity.CONFIDENTIAL).concern

    with pytest.raises(Refused):
        services.reporter_replies(concern=concern, body="Not mine", by=trust.staff)
    assert (
        services.reporter_replies(concern=concern, body="Mine", by=trust.apprentice).author
        == trust.apprentice
    )


def test_tasks_belong_to_the_case_team(triage, trust, raise_concern):
    concern = triage(raise_concern().concern)

    task = services.add_task(
        by=trust.lead, concern=concern, title="Speak to manager", owner=trust.lead, due_on=dt.date.today()
    )
    with pytest.raises(Refused, match="not on this case team"):
        services.add_task(
            by=trust.lead, concern=concern, title="x", owner=trust.staff, due_on=dt.date.today()
        )
    assert services.complete_task(by=trust.lead, task=task).done_on == dt.date.today()


def test_three_low_level_concerns_about_one_person_in_a_year_flag_a_pattern(trust, raise_concern):
    from tests.support.factories import PersonFactory

    subject = PersonFactory(station=trust.station)
    with time_machine.travel(dt.datetime(2025, 10, 1, tzinfo=dt.UTC)):
        raise_concern(subject_person=subject)  # more than 12 months before the third
    for month in (3, 6):
        with time_machine.travel(dt.datetime(2026, month, 1, tzinfo=dt.UTC)):
            raise_concern(subject_person=subject)
    with time_machine.travel(dt.datetime(2026, 11, 2, tzinfo=dt.UTC)):
        assert services.check_for_pattern(subject_person=subject) is None
        raise_concern(subject_person=subject)
        flag = services.check_for_pattern(subject_person=subject)

    assert flag is not None and flag.concern_count == 3


def _closed(trust, triage, raise_concern):
    concern = triage(raise_concern().concern)
    return services.close(
        by=trust.lead, concern=concern, reason="addressed", outcome="Advice", feedback="Done"
    )


def test_a_closed_case_takes_no_messages_tasks_or_team_changes(trust, triage, raise_concern):
    concern = _closed(trust, triage, raise_concern)

    with pytest.raises(Refused, match="closed"):
        services.message_reporter(by=trust.lead, concern=concern, body="Hello")
    with pytest.raises(Refused, match="closed"):
        services.add_task(by=trust.lead, concern=concern, title="x", owner=trust.lead, due_on=dt.date.today())
    with pytest.raises(Refused, match="closed"):
        services.add_team_member(by=trust.lead, concern=concern, user=trust.guardian)
    assert services.add_entry(by=trust.lead, concern=concern, type=Entry.Type.NOTE, body="Late information")


def test_a_referral_outcome_is_recorded_once(trust, triage, raise_concern):
    concern = triage(raise_concern().concern)
    referral = services.refer(
        by=trust.lead, concern=concern, agency=Referral.Agency.DBS, referred_on=dt.date.today()
    )
    services.record_referral_outcome(
        by=trust.lead, referral=referral, outcome=Referral.Outcome.DECLINED, outcome_on=dt.date.today()
    )

    with pytest.raises(Refused, match="recorded already"):
        services.record_referral_outcome(
            by=trust.lead, referral=referral, outcome=Referral.Outcome.ACCEPTED, outcome_on=dt.date.today()
        )
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.DECLINED


def test_status_entries_cannot_be_corrected(trust, triage, raise_concern):
    concern = triage(raise_concern().concern)
    status_entry = concern.entries.get(type=Entry.Type.STATUS)

    with pytest.raises(Refused, match="Only notes, actions and decisions"):
        services.correct_entry(by=trust.lead, entry=status_entry, body="x", reason="y")


def test_only_an_unconflicted_safeguarding_lead_reviews_a_pattern(trust, raise_concern):
    from candour.speakup.models import PatternFlag
    from tests.support.factories import PersonFactory

    subject = PersonFactory(station=trust.station, line_manager=trust.lead.person)
    flag = PatternFlag.objects.create(
        subject_person=subject, raised_on=dt.date.today(), concern_count=3, window_days=365
    )

    with pytest.raises(Refused):
        services.review_pattern(by=trust.guardian, flag=flag)
    with pytest.raises(Refused):
        services.review_pattern(by=trust.lead, flag=flag)  # the subject's line manager
