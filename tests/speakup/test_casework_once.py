"""Every case action does its work once: the same form sent twice (a reload, a double tap) writes once and
answers where the first went; and actions racing each other on one case (two people, two tabs) are done
one after the other, never answered with a server error."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.speakup import services
from candour.speakup.models import Entry, Identity, Referral, Status
from tests.support.factories import PersonFactory
from tests.support.html_forms import post_forms

TODAY = dt.date.today()


def _browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_PASSED] = True
    session.save()
    return client


def _date(field: str, day: dt.date) -> dict:
    return {
        f"{field}_day": [str(day.day)],
        f"{field}_month": [str(day.month)],
        f"{field}_year": [str(day.year)],
    }


def _url(name: str, concern, **kwargs) -> str:
    return reverse(f"speakup:{name}", kwargs={"concern_id": concern.pk, **kwargs})


def _form(client: Client, page: str, action: str | None = None) -> tuple[str, dict]:
    """The page's form that posts to `action` (or the page's main form), as a browser would send it."""
    forms = post_forms(client.get(page).content.decode())
    form = next(f for f in forms if f.action == action) if action else forms[-1]
    return form.action or page, form.data()


def _work_done() -> int:
    return AuditEvent.objects.exclude(action="viewed").count()


@pytest.fixture
def case(trust, raise_concern, triage):
    return triage(raise_concern(identity=Identity.CONFIDENTIAL).concern)


def _triage(trust, raise_concern, case):
    concern = raise_concern().concern
    owner = {"owner": [str(trust.lead.public_id)], "reason": ["Below the harm threshold"]}
    return (
        _url("triage_case", concern),
        None,
        owner | {"primary_category": ["conduct"], "threshold": ["low_level"]},
    )


def _note(trust, raise_concern, case):
    return (
        _url("add_entry", case),
        None,
        {"type": ["note"], "body": ["Rang him."], **_date("event_on", TODAY)},
    )


def _correction(trust, raise_concern, case):
    note = services.add_entry(by=trust.lead, concern=case, type="note", body="Rang her.")
    return (
        _url("correct_entry", case, sequence=note.sequence),
        None,
        {"body": ["Rang him."], "reason": ["Typo"]},
    )


def _message(trust, raise_concern, case):
    return _url("message_reporter", case), None, {"body": ["Which shift was it?"]}


def _task(trust, raise_concern, case):
    data = {"title": ["Check the rota"], "owner": [str(trust.lead.public_id)], **_date("due_on", TODAY)}
    return _url("add_task", case), None, data


def _task_done(trust, raise_concern, case):
    task = services.add_task(by=trust.lead, concern=case, title="Call", owner=trust.lead, due_on=TODAY)
    return _url("show_case", case), _url("complete_task", case, task_id=task.public_id), {}


def _team(trust, raise_concern, case):
    return _url("add_team_member", case), None, {"user": [str(trust.guardian.public_id)]}


def _referral(trust, raise_concern, case):
    data = {"agency": ["lado"], "their_reference": ["L-1"], **_date("referred_on", TODAY)}
    return _url("add_referral", case), None, data


def _outcome(trust, raise_concern, case):
    referral = services.refer(by=trust.lead, concern=case, agency="police", referred_on=TODAY)
    page = _url("record_referral_outcome", case, referral_id=referral.public_id)
    return page, None, {"outcome": ["declined"], **_date("outcome_on", TODAY)}


def _status(trust, raise_concern, case):
    return _url("change_status", case), None, {"to": ["investigating"]}


def _closing(trust, raise_concern, case):
    return _url("close_case", case), None, {"reason": ["addressed"], "outcome": ["Advice given."]}


def _pattern_reviewed(trust, raise_concern, case):
    person = PersonFactory(station=trust.station)
    for _ in range(3):
        raise_concern(subject_person=person)
    patterns = reverse("speakup:list_patterns")
    return patterns, reverse("speakup:review_pattern", kwargs={"person_id": person.public_id}), {}


ACTIONS = {
    "triage": _triage,
    "note": _note,
    "correction": _correction,
    "message": _message,
    "task": _task,
    "task done": _task_done,
    "team member": _team,
    "referral": _referral,
    "referral outcome": _outcome,
    "status": _status,
    "closing": _closing,
    "pattern reviewed": _pattern_reviewed,
}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_case_action_sent_twice_does_its_work_once(trust, raise_concern, case, action):
    page, posts_to, filled = ACTIONS[action](trust, raise_concern, case)
    client = _browser(trust.lead)
    url, data = _form(client, page, posts_to)
    before = _work_done()

    first = client.post(url, data | filled)
    again = client.post(url, data | filled)

    assert first.status_code == 302, first.content.decode()[:2000]
    assert _work_done() == before + 1
    assert again.status_code == 302 and again["Location"] == first["Location"]


def _race(*sends) -> list[int]:
    """Send each at the same moment from its own thread; the status each was answered with (500 for an
    exception, as a person would see it)."""
    start = threading.Barrier(len(sends))
    answers: list[int] = []

    def run(send):
        try:
            start.wait()
            answers.append(send().status_code)
        except Exception:
            answers.append(500)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(send,)) for send in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time (BEGIN IMMEDIATE): two requests cannot race there",
)


def _sender(client: Client, url: str, data: dict):
    return lambda: client.post(url, data)


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_notes_written_at_the_same_moment_by_two_people_are_both_kept_in_order(trust, raise_concern, triage):
    case = triage(raise_concern().concern, team=[trust.guardian])
    sends = []
    for person, words in [
        (trust.lead, "First note."),
        (trust.guardian, "Second note."),
        (trust.lead, "Third."),
    ]:
        client = _browser(person)
        url, data = _form(client, _url("add_entry", case))
        sends.append(
            _sender(client, url, data | {"type": ["note"], "body": [words], **_date("event_on", TODAY)})
        )

    answers = _race(*sends)

    assert answers == [302, 302, 302]
    notes = Entry.objects.filter(concern=case, type=Entry.Type.NOTE)
    assert notes.count() == 3
    sequences = list(Entry.objects.filter(concern=case).values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, len(sequences) + 1))


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_different_actions_on_one_case_at_the_same_moment_are_all_done_without_a_server_error(
    trust, raise_concern, triage
):
    case = triage(raise_concern().concern, team=[trust.guardian])
    task = services.add_task(by=trust.lead, concern=case, title="Call", owner=trust.lead, due_on=TODAY)
    referral = services.refer(by=trust.lead, concern=case, agency="police", referred_on=TODAY)
    lead, guardian = _browser(trust.lead), _browser(trust.guardian)
    note = _form(lead, _url("add_entry", case))
    done_by_lead = _form(lead, _url("show_case", case), _url("complete_task", case, task_id=task.public_id))
    done_by_guardian = _form(guardian, _url("show_case", case), done_by_lead[0])
    outcome_page = _url("record_referral_outcome", case, referral_id=referral.public_id)
    outcome = _form(guardian, outcome_page)
    message = _form(guardian, _url("message_reporter", case))

    answers = _race(
        _sender(lead, note[0], note[1] | {"type": ["note"], "body": ["A note."], **_date("event_on", TODAY)}),
        _sender(lead, *done_by_lead),
        _sender(guardian, *done_by_guardian),
        _sender(guardian, outcome[0], outcome[1] | {"outcome": ["declined"], **_date("outcome_on", TODAY)}),
        _sender(guardian, message[0], message[1] | {"body": ["Can we talk?"]}),
    )

    assert 500 not in answers and set(answers) == {302}
    entries = Entry.objects.filter(concern=case)
    assert entries.filter(type=Entry.Type.NOTE).count() == 1
    assert [entry.body for entry in entries].count("Done: Call") == 1
    assert entries.filter(type=Entry.Type.MESSAGE_TO_REPORTER).count() == 1
    assert Referral.objects.get(pk=referral.pk).outcome == Referral.Outcome.DECLINED
    assert sorted(entries.values_list("sequence", flat=True)) == list(range(1, entries.count() + 1))
    assert case.tasks.get().done_on == timezone.localdate()
    assert Status(type(case).objects.get(pk=case.pk).status) == Status.REFERRED
