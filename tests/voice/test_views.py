"""The lead's pages: who may run pulses and read results, setting one up through the page, and pulses
outside someone's reach answering 404."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from candour.core.navigation import items_for
from candour.people.roles import Role
from candour.voice.models import Pulse, QuestionKind
from tests.support.factories import StationFactory, make_user
from tests.voice.conftest import TODAY, fill, many


def _url(name, pulse):
    return reverse(f"voice:{name}", kwargs={"pulse_id": pulse.public_id})


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.mark.parametrize(
    ("role", "runs", "reads"),
    [
        (Role.QUALITY_LEAD, True, True),
        (Role.EDUCATION_LEAD, True, True),
        (Role.GUARDIAN, True, True),
        (Role.EXECUTIVE, True, True),
        (Role.SAFEGUARDING_LEAD, False, True),
        (Role.SYSTEM_ADMIN, False, True),
        (Role.STAFF, False, False),
        (Role.APPRENTICE, False, False),
        (Role.LINE_MANAGER, False, False),
    ],
)
def test_who_may_run_pulses_and_read_their_results(voice_trust, client_for, role, runs, reads):
    pulse = voice_trust.pulse()
    unit = voice_trust.n1 if role in (Role.STAFF, Role.APPRENTICE, Role.LINE_MANAGER) else voice_trust.trust
    client = client_for(make_user(role, unit))

    assert client.get(reverse("voice:start_pulse")).status_code == (200 if runs else 403)
    assert client.get(reverse("voice:create_pulse")).status_code == (200 if runs else 403)
    assert client.get(_url("show_results", pulse)).status_code == (200 if reads else 403)
    assert client.get(reverse("voice:list_pulses")).status_code == (200 if runs or reads else 403)
    assert client.get(reverse("voice:list_my_pulses")).status_code == 200


def test_a_pulse_in_another_trust_is_not_found(voice_trust, client_for):
    other_station = StationFactory()
    other = make_user(Role.QUALITY_LEAD, other_station.parent.parent)
    client = client_for(other)
    pulse = voice_trust.pulse()

    for name in ("show_pulse", "show_results", "edit_pulse", "change_close_date", "answer_pulse"):
        assert client.get(_url(name, pulse)).status_code == 404, name
    assert client.post(_url("close_pulse", pulse)).status_code == 404
    assert pulse.title not in client.get(reverse("voice:list_pulses")).text


def test_an_area_reader_sees_a_trust_pulse_for_their_area_but_cannot_change_it(voice_trust, client_for):
    pulse = voice_trust.pulse()
    south_only = voice_trust.pulse(title="South only", areas=[voice_trust.south])
    client = client_for(voice_trust.north_manager)

    listed = client.get(reverse("voice:list_pulses"))

    assert pulse.title in listed.text and south_only.title not in listed.text
    assert client.get(_url("show_pulse", pulse)).status_code == 200
    assert client.get(_url("show_results", south_only)).status_code == 404
    assert client.get(_url("edit_pulse", pulse)).status_code == 403


def test_a_lead_sets_up_a_pulse_from_a_template_through_the_page(voice_trust, client_for):
    client = client_for(voice_trust.lead)

    form = client.get(reverse("voice:create_pulse"), {"template": "apprentice_safety"})
    data = {
        "template": "apprentice_safety",
        "title": "Feeling safe at work",
        "introduction": "",
        "question_1": "I feel safe at work",
        "kind_1": QuestionKind.YES_NO,
        "free_text": "Anything else?",
        "roles": [Role.APPRENTICE],
        **_date("opens_on", TODAY),
        **_date("closes_on", TODAY + dt.timedelta(days=10)),
    }
    refused = client.post(
        reverse("voice:create_pulse"), data | _date("closes_on", TODAY - dt.timedelta(days=1))
    )
    created = client.post(reverse("voice:create_pulse"), data)

    assert "I feel safe at work" in form.text and "Set up a pulse" in form.text
    # The service's refusal is shown against the field it names.
    assert re.search(r'href="#id_closes_on_day"\s*>\s*The closing date must be the same', refused.text)
    assert 'value="Anything else?"' in refused.text
    pulse = Pulse.objects.get()
    assert created.url == _url("show_pulse", pulse)
    assert pulse.questions.get(position=1).measure_key == "voice.feel_safe"
    assert pulse.audience_roles == [Role.APPRENTICE]


def test_once_answered_the_edit_page_sends_the_lead_to_the_closing_date(voice_trust, client_for):
    pulse = voice_trust.pulse()
    fill(pulse, many(1, voice_trust.north, TODAY.replace(day=1), {"voice.kept_informed": 4}))
    client = client_for(voice_trust.lead)

    sent = client.get(_url("edit_pulse", pulse))
    changed = client.post(_url("change_close_date", pulse), _date("closes_on", TODAY + dt.timedelta(days=40)))
    page = client.get(_url("show_pulse", pulse))

    assert sent.url == _url("change_close_date", pulse)
    assert changed.status_code == 302
    assert "28 December 2026" in page.text
    assert "Fewer than 5" in page.text


def test_closing_through_the_page(voice_trust, client_for):
    pulse = voice_trust.pulse()

    client_for(voice_trust.lead).post(_url("close_pulse", pulse))

    pulse.refresh_from_db()
    assert pulse.closes_on == TODAY


def test_the_menu_offers_staff_voice_to_leads_and_your_pulses_to_everyone_else(voice_trust, rf):
    def labels(user):
        request = rf.get("/")
        request.user = user
        return [item["text"] for item in items_for(request)]

    assert "Staff voice" in labels(voice_trust.lead) and "Your pulses" not in labels(voice_trust.lead)
    staff = make_user(Role.STAFF, voice_trust.n1)
    assert "Your pulses" in labels(staff) and "Staff voice" not in labels(staff)
