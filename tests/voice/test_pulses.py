"""Building pulses: from a template or from scratch, validated, audited, editable until the first answer and
then only in their closing date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from candour.core.models import AuditEvent
from candour.people.roles import Role
from candour.voice import services
from candour.voice.forms import PulseForm
from candour.voice.models import Pulse, QuestionKind
from candour.voice.pulse_templates import TEMPLATES
from tests.support.factories import make_user
from tests.voice.conftest import TODAY, fill

Q = services.QuestionDraft


def test_a_pulse_from_the_apprentice_template_carries_the_templates_measure_keys(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")

    questions = list(pulse.questions.order_by("position"))
    assert [q.measure_key for q in questions] == [
        "voice.feel_safe",
        "voice.no_unwanted_sexual_behaviour",
        "voice.can_report_sexual_harassment",
        "",
    ]
    assert questions[-1].kind == QuestionKind.FREE_TEXT
    assert pulse.audience_roles == [Role.APPRENTICE]
    assert pulse.unit == voice_trust.trust and pulse.template == "apprentice_safety"


def test_the_staff_template_asks_about_being_kept_informed_and_heard(voice_trust):
    pulse = voice_trust.pulse("staff_informed")

    keys = {q.text: q.measure_key for q in pulse.questions.all()}
    assert keys["I am kept informed about changes that affect me"] == "voice.kept_informed"
    assert keys["Senior leaders listen to staff"] == "voice.leaders_listen"
    assert pulse.audience_roles == []


def test_a_later_pulse_from_the_same_template_continues_the_same_series(voice_trust):
    first = voice_trust.pulse("staff_informed")
    later = voice_trust.pulse(
        "staff_informed",
        title="A year on",
        opens_on=TODAY + dt.timedelta(days=365),
        closes_on=TODAY + dt.timedelta(days=380),
    )

    assert {q.measure_key for q in first.questions.all()} == {q.measure_key for q in later.questions.all()}


def test_a_custom_question_gets_a_key_from_its_words_and_a_template_question_typed_by_hand_joins_the_template(
    voice_trust,
):
    pulse = voice_trust.pulse(
        template="",
        questions=[
            Q(QuestionKind.AGREEMENT, "I would recommend Northshire as a place to work"),
            Q(QuestionKind.AGREEMENT, "  senior leaders  listen to staff "),
        ],
    )
    asked_yes_or_no = voice_trust.pulse(
        template="", questions=[Q(QuestionKind.YES_NO, "Senior leaders listen to staff")]
    )

    keys = [q.measure_key for q in pulse.questions.order_by("position")]
    assert keys == ["voice.i-would-recommend-northshire-as-a-place-to-work", "voice.leaders_listen"]
    # Answered yes or no, it is not the template's agreement question, so it starts a series of its own.
    assert asked_yes_or_no.questions.get().measure_key == "voice.senior-leaders-listen-to-staff"


def test_the_same_words_answered_another_way_are_kept_apart_from_an_earlier_series(voice_trust):
    voice_trust.pulse(template="", questions=[Q(QuestionKind.YES_NO, "I have had an appraisal")])
    later = voice_trust.pulse(template="", questions=[Q(QuestionKind.AGREEMENT, "I have had an appraisal")])

    assert later.questions.get().measure_key == "voice.i-have-had-an-appraisal-agreement"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Enter a title"),
        ({"questions": [Q(QuestionKind.FREE_TEXT, "Anything else?")]}, "Add at least one yes or no"),
        (
            {
                "questions": [
                    Q(QuestionKind.YES_NO, "One"),
                    Q(QuestionKind.FREE_TEXT, "A"),
                    Q(QuestionKind.FREE_TEXT, "B"),
                ]
            },
            "at most one free-text box",
        ),
        ({"questions": [Q(QuestionKind.YES_NO, f"Question {n}") for n in range(6)]}, "at most 5 questions"),
        (
            {"questions": [Q(QuestionKind.YES_NO, "Same"), Q(QuestionKind.AGREEMENT, "same")]},
            "must be different",
        ),
        ({"roles": ["wizard"]}, "Choose roles from the list"),
        ({"opens_on": TODAY - dt.timedelta(days=1)}, "opening date must be today or in the future"),
        ({"closes_on": TODAY - dt.timedelta(days=1), "opens_on": TODAY}, "same as or after the opening date"),
    ],
)
def test_a_pulse_that_breaks_a_rule_is_refused_with_a_clear_message_and_nothing_is_written(
    voice_trust, changes, message
):
    with pytest.raises(services.PulseRefused) as refused:
        voice_trust.pulse(**changes)

    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert not Pulse.objects.exists()


def test_areas_outside_the_leads_own_are_refused(voice_trust):
    north_lead = make_user(Role.EDUCATION_LEAD, voice_trust.north)

    with pytest.raises(services.PulseRefused, match="outside your areas"):
        services.create_pulse(by=north_lead, draft=voice_trust.draft(areas=[voice_trust.south]))


def test_an_area_lead_runs_pulses_for_their_area(voice_trust):
    north_lead = make_user(Role.EDUCATION_LEAD, voice_trust.north)

    pulse = services.create_pulse(by=north_lead, draft=voice_trust.draft())

    assert pulse.unit == voice_trust.north and not pulse.audience_areas.exists()


def test_someone_who_does_not_run_pulses_cannot_create_one(voice_trust):
    with pytest.raises(PermissionDenied):
        services.create_pulse(by=voice_trust.north_manager, draft=voice_trust.draft())


def test_creating_a_pulse_is_audited_with_its_audience_and_questions(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety", areas=[voice_trust.north])

    event = AuditEvent.objects.get(action="created_pulse")
    assert event.actor == voice_trust.lead and event.object_id == str(pulse.public_id)
    assert event.changes["roles"] == ["apprentice"]
    assert event.changes["areas"] == [voice_trust.north.code]
    assert "Yes or no: I feel safe at work" in event.changes["questions"]


def test_before_the_first_answer_everything_can_change(voice_trust):
    pulse = voice_trust.pulse()

    services.update_pulse(
        by=voice_trust.lead,
        pulse=pulse,
        draft=voice_trust.draft(title="Heard?", questions=[Q(QuestionKind.YES_NO, "Do leaders listen?")]),
    )

    pulse.refresh_from_db()
    assert pulse.title == "Heard?"
    assert [q.text for q in pulse.questions.all()] == ["Do leaders listen?"]
    assert AuditEvent.objects.get(action="changed_pulse").changes["title"] == [
        "Kept informed and heard",
        "Heard?",
    ]


def test_after_the_first_answer_only_the_closing_date_can_change(voice_trust):
    pulse = voice_trust.pulse()
    fill(pulse, [(voice_trust.north, TODAY, {"voice.kept_informed": 4, "voice.leaders_listen": 2})])

    with pytest.raises(services.PulseRefused, match="only its closing date can change"):
        services.update_pulse(by=voice_trust.lead, pulse=pulse, draft=voice_trust.draft(title="Changed"))
    services.change_close_date(by=voice_trust.lead, pulse=pulse, closes_on=TODAY + dt.timedelta(days=30))

    pulse.refresh_from_db()
    assert pulse.title == "Kept informed and heard"
    assert pulse.closes_on == TODAY + dt.timedelta(days=30)
    assert AuditEvent.objects.filter(action="changed_pulse_close_date").count() == 1


def test_closing_a_pulse_takes_no_answers_after_today_and_is_audited(voice_trust):
    pulse = voice_trust.pulse()

    services.close_pulse(by=voice_trust.lead, pulse=pulse)

    pulse.refresh_from_db()
    assert pulse.closes_on == TODAY
    assert AuditEvent.objects.filter(action="closed_pulse", object_id=str(pulse.public_id)).exists()


def test_a_closed_pulse_cannot_be_reopened(voice_trust):
    pulse = voice_trust.pulse()
    Pulse.objects.filter(pk=pulse.pk).update(
        opens_on=TODAY - dt.timedelta(days=20), closes_on=TODAY - dt.timedelta(days=1)
    )
    pulse.refresh_from_db()

    with pytest.raises(services.PulseRefused, match="cannot be reopened"):
        services.change_close_date(by=voice_trust.lead, pulse=pulse, closes_on=TODAY + dt.timedelta(days=5))


def test_the_closing_date_cannot_move_before_the_opening_date_or_into_the_past(voice_trust):
    pulse = voice_trust.pulse(opens_on=TODAY + dt.timedelta(days=3), closes_on=TODAY + dt.timedelta(days=10))

    with pytest.raises(services.PulseRefused, match="after the opening date"):
        services.change_close_date(by=voice_trust.lead, pulse=pulse, closes_on=TODAY + dt.timedelta(days=2))


def _form_data(**changes) -> dict:
    data = {
        "title": "Heard",
        "introduction": "",
        "question_1": "Senior leaders listen to staff",
        "kind_1": QuestionKind.AGREEMENT,
        "opens_on_day": str(TODAY.day),
        "opens_on_month": str(TODAY.month),
        "opens_on_year": str(TODAY.year),
        "closes_on_day": str(TODAY.day),
        "closes_on_month": str(TODAY.month),
        "closes_on_year": str(TODAY.year),
    }
    return data | changes


def test_the_form_names_each_problem_against_its_field(voice_trust):
    form = PulseForm(
        _form_data(
            title="",
            question_1="I am kept informed",
            kind_1="",
            question_2="",
            kind_2=QuestionKind.YES_NO,
            question_3="I am kept informed",
            kind_3=QuestionKind.YES_NO,
            closes_on_day=str((TODAY - dt.timedelta(days=1)).day),
        ),
        areas=[],
    )

    assert not form.is_valid()
    assert form.errors["title"] == ["Enter a title"]
    assert form.errors["kind_1"] == ["Choose how question 1 is answered"]
    assert form.errors["question_2"] == ["Enter question 2, or choose no way to answer it"]
    assert form.errors["question_3"] == ["Question 3 is the same as question 1"]
    assert "closes_on" not in form.errors  # dates are the service's to judge: it names the field it refuses


def test_the_form_needs_at_least_one_question_and_refuses_areas_not_offered(voice_trust):
    form = PulseForm(
        _form_data(question_1="", kind_1="", areas=[str(voice_trust.south.public_id)]),
        areas=[voice_trust.north],
    )

    assert not form.is_valid()
    assert form.errors["question_1"] == ["Enter at least one question"]
    assert "Choose areas from the list" in form.errors["areas"][0]


def test_the_form_starts_from_a_template_with_its_questions_filled_in():
    initial = PulseForm.initial_from_template(TEMPLATES["apprentice_safety"])

    assert initial["question_1"] == "I feel safe at work" and initial["kind_1"] == QuestionKind.YES_NO
    assert initial["free_text"].startswith("Is there anything")
    assert initial["roles"] == [Role.APPRENTICE]
