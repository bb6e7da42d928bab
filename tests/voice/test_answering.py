"""Answering a pulse: who it is for (roles, areas, dates), once only, with clear errors, then thanks."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from candour.core.attention import items_for
from candour.people.models import Membership
from candour.people.roles import Role
from candour.voice import audience, services
from candour.voice.models import Answer, Pulse, QuestionKind, Response, ResponseToken
from candour.voice.queries import pulses_for
from tests.support.counted_rows import counted_rows
from tests.support.factories import PersonFactory, make_user
from tests.voice.conftest import TODAY


def _choices(pulse, value=4):
    return {
        q.pk: (1 if q.kind == QuestionKind.YES_NO else value) for q in pulse.questions.all() if q.measure_key
    }


def _form(pulse, value="4", text=""):
    data = {}
    for q in pulse.questions.all():
        if q.kind == QuestionKind.FREE_TEXT:
            data[f"q{q.position}"] = text
        else:
            data[f"q{q.position}"] = "1" if q.kind == QuestionKind.YES_NO else value
    return data


# Who a pulse is for


def test_an_apprentice_pulse_is_for_apprentices_and_not_for_other_staff(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    apprentice = make_user(Role.APPRENTICE, voice_trust.n1)
    paramedic = make_user(Role.STAFF, voice_trust.n1)

    assert [item.pulse for item in pulses_for(apprentice)] == [pulse]
    assert pulses_for(paramedic) == []


def test_a_pulse_for_some_areas_reaches_only_people_working_there(voice_trust):
    pulse = voice_trust.pulse(areas=[voice_trust.north])

    assert [item.pulse for item in pulses_for(make_user(Role.STAFF, voice_trust.n2))] == [pulse]
    assert pulses_for(make_user(Role.STAFF, voice_trust.s1)) == []


def test_a_pulse_for_every_role_reaches_leaders_too_but_not_another_trusts_staff(voice_trust):
    pulse = voice_trust.pulse()

    assert [item.pulse for item in pulses_for(voice_trust.north_manager)] == [pulse]
    assert pulses_for(make_user(Role.STAFF)) == []


def test_a_pulse_is_open_from_its_opening_date_to_the_end_of_its_closing_date(voice_trust):
    pulse = voice_trust.pulse(opens_on=TODAY + dt.timedelta(days=1), closes_on=TODAY + dt.timedelta(days=3))
    staff = make_user(Role.STAFF, voice_trust.s1)

    assert pulses_for(staff) == []
    with time_machine.travel(dt.datetime(2026, 11, 21, 23, tzinfo=dt.UTC), tick=False):
        staff = type(staff).objects.get(pk=staff.pk)
        assert [item.pulse for item in pulses_for(staff)] == [pulse]
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        staff = type(staff).objects.get(pk=staff.pk)
        assert pulses_for(staff) == []


def test_someone_whose_membership_has_ended_is_not_asked_in_that_role(voice_trust):
    voice_trust.pulse(roles=[Role.LINE_MANAGER])
    manager = make_user(Role.LINE_MANAGER, voice_trust.n1)
    Membership.objects.filter(user=manager).update(ends_on=TODAY)

    assert pulses_for(manager) == []


def test_the_audience_counts_the_roster_for_the_response_rate(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety", areas=[voice_trust.north])
    PersonFactory.create_batch(3, station=voice_trust.n1, is_apprentice=True)
    PersonFactory(station=voice_trust.n2, is_apprentice=True, leave_date=TODAY - dt.timedelta(days=1))
    PersonFactory(station=voice_trust.s1, is_apprentice=True)
    PersonFactory(station=voice_trust.n1)

    assert audience.audience_size(pulse) == 3


# Answering once


def test_an_answer_is_kept_by_area_and_month_and_the_person_cannot_answer_again(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    apprentice = make_user(Role.APPRENTICE, voice_trust.n1)

    services.answer_pulse(
        by=apprentice, pulse=pulse, choices=_choices(pulse), text="Night shifts feel isolated"
    )

    response = Response.objects.get()
    assert response.area == voice_trust.north and response.month == dt.date(2026, 11, 1)
    assert Answer.objects.filter(response=response).count() == 4
    assert ResponseToken.objects.filter(pulse=pulse).count() == 1
    assert services.has_answered(pulse, apprentice)
    with pytest.raises(services.AlreadyAnswered):
        services.answer_pulse(by=apprentice, pulse=pulse, choices=_choices(pulse))
    assert Response.objects.count() == 1


def test_a_missing_answer_is_refused_and_nothing_is_written(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")
    apprentice = make_user(Role.APPRENTICE, voice_trust.n1)
    choices = _choices(pulse)
    first = pulse.questions.get(position=1)
    choices[first.pk] = None

    with pytest.raises(services.AnswerRefused, match="I feel safe at work"):
        services.answer_pulse(by=apprentice, pulse=pulse, choices=choices)

    assert not ResponseToken.objects.exists() and not Response.objects.exists()


def test_someone_outside_the_audience_cannot_answer(voice_trust):
    pulse = voice_trust.pulse("apprentice_safety")

    with pytest.raises(PermissionDenied):
        services.answer_pulse(by=make_user(Role.STAFF, voice_trust.n1), pulse=pulse, choices=_choices(pulse))


def test_a_closed_pulse_takes_no_answers(voice_trust):
    pulse = voice_trust.pulse()
    Pulse.objects.filter(pk=pulse.pk).update(
        opens_on=TODAY - dt.timedelta(days=9), closes_on=TODAY - dt.timedelta(days=1)
    )
    pulse.refresh_from_db()

    with pytest.raises(services.PulseClosed):
        services.answer_pulse(by=make_user(Role.STAFF, voice_trust.n1), pulse=pulse, choices=_choices(pulse))


def test_a_token_made_under_a_previous_secret_key_still_stops_a_second_answer(voice_trust, settings):
    pulse = voice_trust.pulse()
    staff = make_user(Role.STAFF, voice_trust.n1)
    services.answer_pulse(by=staff, pulse=pulse, choices=_choices(pulse))

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 32

    assert services.has_answered(pulse, staff)
    with pytest.raises(services.AlreadyAnswered):
        services.answer_pulse(by=staff, pulse=pulse, choices=_choices(pulse))


def test_tokens_are_forgotten_once_a_pulse_has_closed(voice_trust):
    open_pulse = voice_trust.pulse()
    closed = voice_trust.pulse(title="Last month")
    staff = make_user(Role.STAFF, voice_trust.n1)
    for pulse in (open_pulse, closed):
        services.answer_pulse(by=staff, pulse=pulse, choices=_choices(pulse))
    Pulse.objects.filter(pk=closed.pk).update(closes_on=TODAY)

    assert services.forget_tokens(today=TODAY) == 0
    assert services.forget_tokens(today=TODAY + dt.timedelta(days=1)) == 1

    assert list(ResponseToken.objects.values_list("pulse_id", flat=True)) == [open_pulse.pk]
    assert Response.objects.filter(pulse=closed).count() == 1


# Through the pages


def test_the_form_shows_every_missing_answer_and_keeps_what_was_chosen(voice_trust, client_for):
    pulse = voice_trust.pulse("apprentice_safety")
    client = client_for(make_user(Role.APPRENTICE, voice_trust.n1))
    data = _form(pulse, text="My mentor is great")
    del data["q1"]

    page = client.post(reverse("voice:answer_pulse", kwargs={"pulse_id": pulse.public_id}), data)

    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Choose yes or no for “I feel safe at work”" in page.text
    assert "My mentor is great" in page.text
    assert not Response.objects.exists()


def test_answering_through_the_page_thanks_them_and_a_second_visit_is_refused(voice_trust, client_for):
    pulse = voice_trust.pulse("apprentice_safety")
    client = client_for(make_user(Role.APPRENTICE, voice_trust.n1))
    url = reverse("voice:answer_pulse", kwargs={"pulse_id": pulse.public_id})

    sent = client.post(url, _form(pulse))
    thanks = client.get(sent.url)
    again = client.get(url)
    posted_again = client.post(url, _form(pulse))

    assert sent.url == reverse("voice:show_thanks", kwargs={"pulse_id": pulse.public_id})
    assert "Thank you for answering" in thanks.text
    assert "You have already answered this pulse" in again.text
    assert "You have already answered this pulse" in posted_again.text
    assert Response.objects.count() == 1


def test_someone_not_asked_gets_not_found_and_the_pulse_is_not_revealed(voice_trust, client_for):
    pulse = voice_trust.pulse("apprentice_safety")
    client = client_for(make_user(Role.STAFF, voice_trust.n1))

    assert client.get(reverse("voice:answer_pulse", kwargs={"pulse_id": pulse.public_id})).status_code == 404
    assert client.get(reverse("voice:show_thanks", kwargs={"pulse_id": pulse.public_id})).status_code == 404


def test_the_home_page_lists_pulses_to_answer_until_they_are_answered(voice_trust, client_for):
    pulse = voice_trust.pulse("apprentice_safety")
    apprentice = make_user(Role.APPRENTICE, voice_trust.n1)
    client = client_for(apprentice)

    before = client.get(reverse("core:home"))
    services.answer_pulse(by=apprentice, pulse=pulse, choices=_choices(pulse))
    after = client_for(apprentice).get(reverse("core:home"))
    mine = client_for(apprentice).get(reverse("voice:list_my_pulses"))

    assert "Pulses to answer" in before.text
    assert "Pulses to answer" not in after.text
    assert "Feeling safe at work" in mine.text and "Answered" in mine.text


def test_the_pulses_card_leads_to_the_pulses_still_to_answer_only(voice_trust, client_for):
    answered = voice_trust.pulse("apprentice_safety")
    waiting = voice_trust.pulse("staff_informed", title="Kept informed")
    apprentice = make_user(Role.APPRENTICE, voice_trust.n1)
    services.answer_pulse(by=apprentice, pulse=answered, choices=_choices(answered))
    client = client_for(apprentice)

    card = next(item for item in items_for(apprentice) if item.title == "Pulses to answer")
    listed = client.get(card.url).text

    assert card.count == 1 and counted_rows(client, card.url)[0] == 1
    assert waiting.title in listed and answered.title not in listed
    assert counted_rows(client, reverse("voice:list_my_pulses"))[0] == 2
