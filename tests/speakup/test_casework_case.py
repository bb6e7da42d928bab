"""The case page and every action on a case: allowed, out of reach (404), and what the case's rules refuse."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import (
    Category,
    Concern,
    Entry,
    Identity,
    Kind,
    Referral,
    Status,
    Subject,
    Threshold,
)
from candour.speakup.services import PatientInput
from tests.support.factories import PersonFactory, StationFactory, make_user


def _url(name, concern, **kwargs):
    return reverse(f"speakup:{name}", kwargs={"concern_id": concern.pk, **kwargs})


def _date(field, day):
    return {f"{field}_day": day.day, f"{field}_month": day.month, f"{field}_year": day.year}


def _offers(page, user):
    return f'value="{user.public_id}"' in page


def _viewed(concern):
    return AuditEvent.objects.filter(action="viewed", object_id=str(concern.pk)).count()


@pytest.fixture
def concern(raise_concern):
    return raise_concern(identity=Identity.CONFIDENTIAL).concern


@pytest.fixture
def case(triage, concern):
    return triage(concern)


# Opening a case


def test_case_opens_for_the_route_lead_and_every_opening_is_audited(trust, concern, client_for):
    client = client_for(trust.lead)

    first = client.get(_url("show_case", concern))
    client.get(_url("show_case", concern))

    assert first.status_code == 200
    assert concern.reference in first.text and concern.narrative in first.text
    assert _viewed(concern) == 2
    assert AuditEvent.objects.filter(action="viewed", actor=trust.lead).count() == 2


def test_case_is_404_for_the_lead_of_the_other_route(trust, concern, client_for):
    response = client_for(trust.guardian).get(_url("show_case", concern))

    assert response.status_code == 404
    assert _viewed(concern) == 0


def test_case_is_404_for_staff(trust, concern, client_for):
    assert client_for(trust.staff).get(_url("show_case", concern)).status_code == 404


def test_case_is_404_for_a_lead_in_another_trust(concern, client_for):
    elsewhere = make_user(Role.SAFEGUARDING_LEAD, StationFactory().parent.parent)

    assert client_for(elsewhere).get(_url("show_case", concern)).status_code == 404


def test_case_is_404_for_its_subject_even_with_the_lead_role(trust, raise_concern, client_for):
    subject = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    concern = raise_concern(subject_person=subject.person).concern

    assert client_for(subject).get(_url("show_case", concern)).status_code == 404


def test_case_is_404_for_the_subjects_line_manager_even_with_the_lead_role(trust, raise_concern, client_for):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    subject = PersonFactory(station=trust.station, line_manager=manager.person)
    concern = raise_concern(subject_person=subject).concern

    assert client_for(manager).get(_url("show_case", concern)).status_code == 404


def test_case_sends_a_signed_out_visitor_to_sign_in(concern, client):
    response = client.get(_url("show_case", concern))

    assert response.status_code == 302 and reverse("people:sign_in") in response.url


def test_case_opens_for_a_team_member_without_the_lead_role(trust, triage, concern, client_for):
    guardian_on_team = triage(concern, team=[trust.guardian])

    assert client_for(trust.guardian).get(_url("show_case", guardian_on_team)).status_code == 200


def test_case_names_a_confidential_reporter_with_a_warning(trust, concern, client_for):
    page = client_for(trust.lead).get(_url("show_case", concern)).text

    assert trust.apprentice.display_name in page
    assert "Confidential: do not share the reporter&#39;s identity" in page


def test_case_shows_an_anonymous_reporter_as_anonymous(trust, raise_concern, client_for):
    concern = raise_concern(identity=Identity.ANONYMOUS).concern

    page = client_for(trust.lead).get(_url("show_case", concern)).text

    assert "Anonymous" in page and trust.apprentice.display_name not in page
    assert "do not share the reporter" not in page


def test_case_shows_the_patient_with_a_formatted_nhs_number(trust, raise_concern, client_for):
    patient = PatientInput(
        is_child=True,
        name="Jamie Example",
        nhs_number="9434765919",
        date_of_birth="1 May 2015",
        address="1 Moor Lane",
        nature_of_risk="Unexplained bruising.",
        consent="not_possible",
        local_authority_called=True,
        local_authority_reference="LA-77",
    )
    concern = raise_concern(
        kind=Kind.PATIENT_SAFEGUARDING, subject_type=Subject.PATIENT, patient=patient
    ).concern

    page = client_for(trust.lead).get(_url("show_case", concern)).text

    assert "943 476 5919" in page and "Jamie Example" in page and "Yes, reference LA-77" in page


def test_case_shows_script_in_the_narrative_as_text(trust, raise_concern, client_for):
    concern = raise_concern(narrative="<script>alert(1)</script>").concern

    page = client_for(trust.lead).get(_url("show_case", concern)).text

    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_case_offers_only_the_actions_its_status_allows(trust, triage, concern, client_for):
    client = client_for(trust.lead)
    new = client.get(_url("show_case", concern)).text
    triaged = client.get(_url("show_case", triage(concern))).text

    assert _url("triage_case", concern) in new and _url("close_case", concern) not in new
    assert _url("triage_case", concern) not in triaged
    assert _url("close_case", concern) in triaged and _url("add_task", concern) in triaged


# Triage


def test_triage_suggests_a_category_and_lists_only_unconflicted_workers(trust, raise_concern, client_for):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    subject = PersonFactory(station=trust.station, line_manager=manager.person)
    concern = raise_concern(subject_person=subject).concern

    page = client_for(trust.lead).get(_url("triage_case", concern)).text

    assert re.search(rf'value="{Category.CONDUCT}"\s+checked', page)
    assert _offers(page, trust.lead) and _offers(page, trust.guardian)
    assert not _offers(page, manager) and not _offers(page, trust.staff)


def test_triage_sets_categories_threshold_owner_and_team(trust, concern, client_for):
    response = client_for(trust.lead).post(
        _url("triage_case", concern),
        {
            "primary_category": Category.SEXUAL_SAFETY,
            "secondary_categories": [Category.CONDUCT],
            "threshold": Threshold.MEETS,
            "owner": str(trust.lead.public_id),
            "team": [str(trust.guardian.public_id)],
            "reason": "He cornered her twice; that is beyond a low-level concern.",
        },
    )

    assert response.status_code == 302 and response.url == _url("show_case", concern)
    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED and concern.owner == trust.lead
    assert concern.categories == [Category.SEXUAL_SAFETY, Category.CONDUCT]
    assert {member.user for member in concern.team.all()} == {trust.lead, trust.guardian}


def test_triage_with_a_conflicted_owner_is_refused_and_nothing_changes(trust, raise_concern, client_for):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    subject = PersonFactory(station=trust.station, line_manager=manager.person)
    concern = raise_concern(subject_person=subject).concern

    response = client_for(trust.lead).post(
        _url("triage_case", concern),
        {
            "primary_category": Category.CONDUCT,
            "threshold": Threshold.LOW_LEVEL,
            "owner": str(manager.public_id),
        },
    )

    assert response.status_code == 200 and "Choose someone from the list" in response.text
    concern.refresh_from_db()
    assert concern.status == Status.NEW and concern.owner is None and not concern.team.exists()


def test_triage_shows_what_the_person_who_raised_it_wrote(trust, raise_concern, client_for):
    concern = raise_concern(narrative="He stood in the doorway so I could not leave.").concern

    page = client_for(trust.lead).get(_url("triage_case", concern)).text

    assert "He stood in the doorway so I could not leave." in page
    assert "What they told us" in page


def test_triage_needs_a_reason_and_puts_the_decision_and_why_in_the_chronology(trust, concern, client_for):
    client = client_for(trust.lead)
    decision = {
        "primary_category": Category.BULLYING_HARASSMENT,
        "secondary_categories": [Category.DETRIMENT],
        "threshold": Threshold.LOW_LEVEL,
        "owner": str(trust.lead.public_id),
    }

    refused = client.post(_url("triage_case", concern), decision)
    client.post(
        _url("triage_case", concern), decision | {"reason": "One remark, no threat; he has apologised."}
    )
    page = client.get(_url("show_case", concern)).text

    assert refused.status_code == 200 and "Enter why you decided this" in refused.text
    entry = concern.entries.get(type=Entry.Type.DECISION)
    assert "Main category: Bullying or harassment." in entry.body
    assert "Other categories: Detriment for speaking up." in entry.body
    assert "Harm threshold: Low level (below the harm threshold)." in entry.body
    assert "Why: One remark, no threat; he has apologised." in entry.body
    assert "One remark, no threat; he has apologised." in page


def test_staff_entries_show_the_time_they_were_written_and_an_anonymous_reporters_the_day_only(
    trust, triage, raise_concern, client_for
):
    concern = triage(raise_concern(identity=Identity.ANONYMOUS).concern)
    with time_machine.travel(dt.datetime(2026, 11, 20, 14, 37, tzinfo=dt.UTC), tick=False):
        services.add_entry(by=trust.lead, concern=concern, type=Entry.Type.NOTE, body="Rang the station.")
        services.anonymous_reporter_replies(
            concern=concern, body="It was the night shift.", submission="b" * 32
        )
        services.write_held_anonymous()

    page = client_for(trust.lead).get(_url("show_case", concern)).text

    note, reply = concern.entries.order_by("-sequence")[1], concern.entries.order_by("-sequence")[0]
    assert note.recorded_at == dt.datetime(2026, 11, 20, 14, 37, tzinfo=dt.UTC)
    assert reply.recorded_at is None and reply.recorded_on == dt.date(2026, 11, 20)
    assert f"Recorded 20 November 2026 at 2:37pm by {trust.lead.display_name}" in page
    assert "Recorded 20 November 2026 by The person who raised it" in page


def test_triage_of_a_triaged_case_goes_back_to_the_case(trust, case, client_for):
    response = client_for(trust.lead).get(_url("triage_case", case))

    assert response.status_code == 302 and response.url == _url("show_case", case)


# The chronology


def test_an_entry_is_added_with_the_date_it_happened(trust, case, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client_for(trust.lead).post(
        _url("add_entry", case),
        {"type": Entry.Type.DECISION, "body": "Advice, not discipline.", **_date("event_on", yesterday)},
    )

    assert response.status_code == 302
    entry = case.entries.filter(type=Entry.Type.DECISION).latest("sequence")
    assert (
        entry.event_on == yesterday and entry.body == "Advice, not discipline." and entry.author == trust.lead
    )


def test_an_entry_dated_in_the_future_is_refused_on_the_field(trust, case, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for(trust.lead).post(
        _url("add_entry", case), {"type": Entry.Type.NOTE, "body": "x", **_date("event_on", tomorrow)}
    )

    assert response.status_code == 200 and "must be today or in the past" in response.text
    assert not case.entries.filter(type=Entry.Type.NOTE).exists()


def test_a_correction_keeps_the_original_readable(trust, case, client_for):
    note = services.add_entry(by=trust.lead, concern=case, type=Entry.Type.NOTE, body="Met him on Tuesday.")
    client = client_for(trust.lead)

    response = client.post(
        _url("correct_entry", case, sequence=note.sequence),
        {"body": "Met him on Wednesday.", "reason": "Wrong day"},
    )
    page = client.get(_url("show_case", case)).text

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Met him on Tuesday."
    assert "Met him on Tuesday." in page and "Met him on Wednesday." in page and "Wrong day" in page
    assert page.index("Met him on Tuesday.") < page.index("Met him on Wednesday.")


def test_a_correction_needs_a_reason(trust, case, client_for):
    note = services.add_entry(by=trust.lead, concern=case, type=Entry.Type.NOTE, body="Met on Tuesday.")

    response = client_for(trust.lead).post(
        _url("correct_entry", case, sequence=note.sequence), {"body": "Met on Wednesday.", "reason": ""}
    )

    assert response.status_code == 200 and "Enter reason for the correction" in response.text
    assert not case.entries.filter(type=Entry.Type.CORRECTION).exists()


def test_a_message_to_the_reporter_cannot_be_corrected(trust, case, client_for):
    message = services.message_reporter(by=trust.lead, concern=case, body="Can we talk?")

    response = client_for(trust.lead).get(_url("correct_entry", case, sequence=message.sequence))

    assert response.status_code == 404


def test_messaging_an_anonymous_reporter_explains_they_need_their_code(
    trust, triage, raise_concern, client_for
):
    concern = triage(raise_concern(identity=Identity.ANONYMOUS).concern)
    client = client_for(trust.lead)

    page = client.get(_url("message_reporter", concern)).text
    response = client.post(_url("message_reporter", concern), {"body": "Which shift was it?"}, follow=True)

    assert "only see your message when they come back with their receipt code" in page
    assert "receipt code" in response.text
    assert concern.entries.get(type=Entry.Type.MESSAGE_TO_REPORTER).body == "Which shift was it?"


# Tasks and the team


def test_a_task_is_added_for_the_team_and_marked_done(trust, case, client_for):
    client = client_for(trust.lead)
    due = timezone.localdate() + dt.timedelta(days=7)

    client.post(
        _url("add_task", case),
        {"title": "Speak to the manager", "owner": str(trust.lead.public_id), **_date("due_on", due)},
    )
    task = case.tasks.get()
    response = client.post(_url("complete_task", case, task_id=task.public_id))

    task.refresh_from_db()
    assert task.due_on == due and task.owner == trust.lead
    assert response.status_code == 302 and task.done_on == timezone.localdate()


def test_a_task_can_only_go_to_the_case_team(trust, case, client_for):
    response = client_for(trust.lead).post(
        _url("add_task", case),
        {"title": "x", "owner": str(trust.guardian.public_id), **_date("due_on", timezone.localdate())},
    )

    assert response.status_code == 200 and "Choose someone from the list" in response.text
    assert not case.tasks.exists()


def test_completing_a_task_only_answers_a_post(trust, case, client_for):
    task = services.add_task(
        by=trust.lead, concern=case, title="Call", owner=trust.lead, due_on=timezone.localdate()
    )

    assert client_for(trust.lead).get(_url("complete_task", case, task_id=task.public_id)).status_code == 405


def test_an_overdue_task_is_marked_on_the_case(trust, case, client_for):
    last_week = timezone.localdate() - dt.timedelta(days=7)
    services.add_task(by=trust.lead, concern=case, title="Call back", owner=trust.lead, due_on=last_week)

    page = client_for(trust.lead).get(_url("show_case", case)).text

    assert "Overdue" in page and "Mark done" in page


def test_someone_is_added_to_the_team_but_never_a_conflicted_person(trust, triage, raise_concern, client_for):
    manager = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    subject = PersonFactory(station=trust.station, line_manager=manager.person)
    case = triage(raise_concern(subject_person=subject).concern)
    client = client_for(trust.lead)

    page = client.get(_url("add_team_member", case)).text
    refused = client.post(_url("add_team_member", case), {"user": str(manager.public_id)})
    added = client.post(_url("add_team_member", case), {"user": str(trust.guardian.public_id)})

    assert not _offers(page, manager) and _offers(page, trust.guardian)
    assert refused.status_code == 200 and added.status_code == 302
    assert {member.user for member in case.team.all()} == {trust.lead, trust.guardian}


# Referrals and status


def test_a_referral_is_recorded_and_its_declined_outcome_shown(trust, case, client_for):
    client = client_for(trust.lead)
    today = timezone.localdate()

    client.post(
        _url("add_referral", case),
        {"agency": Referral.Agency.LADO, "their_reference": "L-12", **_date("referred_on", today)},
    )
    referral = case.referrals.get()
    client.post(
        _url("record_referral_outcome", case, referral_id=referral.public_id),
        {"outcome": Referral.Outcome.DECLINED, **_date("outcome_on", today)},
    )
    page = client.get(_url("show_case", case)).text

    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.outcome == Referral.Outcome.DECLINED and referral.outcome_on == today
    assert case.status == Status.REFERRED
    assert "Declined" in page and "L-12" in page


def test_a_referral_outcome_must_be_a_decision(trust, case, client_for):
    referral = services.refer(
        by=trust.lead, concern=case, agency=Referral.Agency.POLICE, referred_on=timezone.localdate()
    )

    response = client_for(trust.lead).post(
        _url("record_referral_outcome", case, referral_id=referral.public_id),
        {"outcome": Referral.Outcome.AWAITING, **_date("outcome_on", timezone.localdate())},
    )

    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.AWAITING


def test_status_moves_between_investigating_and_referred_with_a_note(trust, case, client_for):
    client = client_for(trust.lead)

    client.post(_url("change_status", case), {"to": Status.INVESTIGATING, "note": "Interviews booked."})
    client.post(_url("change_status", case), {"to": Status.REFERRED, "note": "Waiting on the police."})
    back = client.post(_url("change_status", case), {"to": Status.INVESTIGATING})

    case.refresh_from_db()
    assert back.status_code == 302 and case.status == Status.INVESTIGATING
    notes = [entry.body for entry in case.entries.filter(type=Entry.Type.STATUS)]
    assert any("Interviews booked." in note for note in notes)


def test_a_status_change_cannot_close_the_case(trust, case, client_for):
    response = client_for(trust.lead).post(_url("change_status", case), {"to": Status.CLOSED})

    assert response.status_code == 200 and "Select a valid choice" in response.text
    case.refresh_from_db()
    assert case.status == Status.TRIAGED


# Closing


def _closing(**fields):
    return {
        "reason": "addressed",
        "outcome": "Words of advice given.",
        "feedback": "We acted on it.",
    } | fields


def test_close_suggests_asking_whether_they_would_speak_up_again(trust, case, client_for):
    page = client_for(trust.lead).get(_url("close_case", case)).text

    assert "given your experience, would you speak up again?" in page


def test_closing_without_an_outcome_is_refused(trust, case, client_for):
    response = client_for(trust.lead).post(_url("close_case", case), _closing(outcome="  "))

    assert response.status_code == 200 and "Enter the outcome" in response.text
    case.refresh_from_db()
    assert case.status == Status.TRIAGED and case.closed_on is None


def test_closing_with_a_referral_awaiting_its_outcome_shows_why_in_the_error_summary(trust, case, client_for):
    services.refer(
        by=trust.lead, concern=case, agency=Referral.Agency.POLICE, referred_on=timezone.localdate()
    )

    response = client_for(trust.lead).post(_url("close_case", case), _closing())

    assert response.status_code == 200
    assert (
        "There is a problem" in response.text and "A referral is still awaiting its outcome" in response.text
    )
    case.refresh_from_db()
    assert case.status == Status.REFERRED


def test_closing_records_the_outcome_and_tells_the_reporter(trust, case, client_for):
    client = client_for(trust.lead)

    response = client.post(_url("close_case", case), _closing(), follow=True)

    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closure_reason == "addressed"
    assert case.entries.get(type=Entry.Type.MESSAGE_TO_REPORTER).body == "We acted on it."
    assert "Case closed" in response.text and "Words of advice given." in response.text


def test_a_closed_case_refuses_further_status_changes(trust, case, client_for):
    services.close(by=trust.lead, concern=case, reason="addressed", outcome="Advice", feedback="Thanks")

    response = client_for(trust.lead).post(_url("change_status", case), {"to": Status.INVESTIGATING})

    assert response.status_code == 302
    assert Concern.objects.get(pk=case.pk).status == Status.CLOSED


# Every action, out of reach

ACTIONS = [
    ("triage_case", {}),
    ("add_entry", {}),
    ("correct_entry", {"sequence": 1}),
    ("message_reporter", {}),
    ("add_task", {}),
    ("complete_task", {"task_id": "00000000-0000-4000-8000-000000000001"}),
    ("add_team_member", {}),
    ("add_referral", {}),
    ("record_referral_outcome", {"referral_id": "00000000-0000-4000-8000-000000000001"}),
    ("change_status", {}),
    ("close_case", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ACTIONS)
def test_every_action_is_404_for_the_other_route_lead(trust, concern, client_for, name, kwargs):
    client = client_for(trust.guardian)

    assert client.post(_url(name, concern, **kwargs), {"body": "x"}).status_code == 404
    assert Concern.objects.get(pk=concern.pk).entries.count() == 0


@pytest.mark.parametrize(("name", "kwargs"), ACTIONS)
def test_every_action_is_404_for_the_subject_holding_the_lead_role(
    trust, raise_concern, client_for, name, kwargs
):
    subject = make_user(Role.SAFEGUARDING_LEAD, trust.trust)
    concern = raise_concern(subject_person=subject.person).concern

    assert client_for(subject).get(_url(name, concern, **kwargs)).status_code in (404, 405)
    assert client_for(subject).post(_url(name, concern, **kwargs)).status_code == 404


def test_an_entry_task_or_referral_of_another_case_is_404(trust, triage, case, raise_concern, client_for):
    other = triage(raise_concern().concern)
    task = services.add_task(
        by=trust.lead, concern=other, title="Call", owner=trust.lead, due_on=timezone.localdate()
    )
    referral = services.refer(
        by=trust.lead, concern=other, agency=Referral.Agency.DBS, referred_on=timezone.localdate()
    )
    client = client_for(trust.lead)

    assert client.post(_url("complete_task", case, task_id=task.public_id)).status_code == 404
    outcome = _url("record_referral_outcome", case, referral_id=referral.public_id)
    assert client.get(outcome).status_code == 404
    assert client.get(_url("correct_entry", case, sequence=999)).status_code == 404


def test_case_page_links_other_concerns_about_the_same_person(trust, raise_concern, client_for):
    from tests.support.factories import PersonFactory

    subject = PersonFactory(station=trust.station, given_name="Robin", family_name="Marsh")
    first = raise_concern(subject_person=subject).concern
    second = raise_concern(subject_person=subject).concern
    unrelated = raise_concern().concern

    page = client_for(trust.lead).get(reverse("speakup:show_case", kwargs={"concern_id": second.pk})).text

    assert "Other concerns about Robin Marsh" in page
    assert first.reference in page and unrelated.reference not in page
