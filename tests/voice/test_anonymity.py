"""Answers to a pulse cannot be traced to the person who gave them.

An apprentice answers through the real page, signed in, from a distinctive address and browser. Every row
the answer added in every table, and the captured logs, are searched for the apprentice's ids, email, name,
address, browser and session; no row may link to them through a foreign key, or carry a time finer than the
day. The tables holding answers have no column that could point at a person at all, and the token that
stops a second answer shares nothing with the response but the pulse, so the two cannot be joined."""

import datetime as dt
import hashlib
import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from candour.core.models import AuditEvent, DeferredAuditEvent
from candour.people.roles import Role
from candour.voice import services
from candour.voice.models import Answer, QuestionKind, Response, ResponseToken
from candour.voice.pulse_templates import TEMPLATES
from tests.support.factories import StationFactory, make_user

IP = "203.0.113.91"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14) VeryDistinctiveBrowser/7.7"
COMMENT = "Remarks in the crew room get brushed off as banter."
PEOPLE_TABLES = {"people_user", "people_person"}
ANSWER_TABLES = {"voice_response", "voice_answer", "voice_responsetoken"}


def _snapshot() -> dict[str, set[tuple]]:
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # table names come from the schema
            tables[table] = {tuple(row) for row in cursor.fetchall()}
    return tables


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, table)]


def _relations(table: str) -> dict[str, str]:
    """Column -> the table it is a foreign key to."""
    with connection.cursor() as cursor:
        return {
            column: other
            for column, (_, other) in connection.introspection.get_relations(cursor, table).items()
        }


def _looks_like_a_time(value: str) -> bool:
    try:
        parsed = dt.datetime.fromisoformat(value[:26])
    except ValueError:
        return False
    return (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_an_answer_leaves_no_trace_of_who_gave_it(caplog):
    station = StationFactory()
    lead = make_user(Role.EDUCATION_LEAD, station.parent.parent)
    template = TEMPLATES["apprentice_safety"]
    pulse = services.create_pulse(
        by=lead,
        draft=services.PulseDraft(
            title=template.title,
            introduction=template.introduction,
            questions=[services.QuestionDraft(q.kind, q.text) for q in template.questions],
            opens_on=dt.date.today(),
            closes_on=dt.date.today() + dt.timedelta(days=7),
            roles=[Role.APPRENTICE],
            template=template.key,
        ),
    )
    apprentice = make_user(Role.APPRENTICE, station, email="distinctive.apprentice@test.example")
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)
    client.force_login(apprentice)
    url = reverse("voice:answer_pulse", kwargs={"pulse_id": pulse.public_id})
    client.get(url)
    session_key = client.session.session_key
    audit_events = AuditEvent.objects.count()
    before = _snapshot()
    caplog.set_level(logging.DEBUG)

    data = {f"q{q.position}": "1" if q.kind == QuestionKind.YES_NO else "2" for q in pulse.questions.all()}
    free_text = pulse.questions.get(kind=QuestionKind.FREE_TEXT)
    data[f"q{free_text.position}"] = COMMENT
    answered = client.post(url, data)

    assert answered.status_code == 302
    after = _snapshot()
    response, token = Response.objects.get(), ResponseToken.objects.get()
    identifiers = {
        str(apprentice.public_id),
        apprentice.public_id.hex,
        str(apprentice.person.public_id),
        apprentice.person.public_id.hex,
        apprentice.email,
        apprentice.display_name,
        apprentice.person.staff_number,
        IP,
        USER_AGENT,
        session_key,
    }
    found = []
    for table, rows in after.items():
        added = rows - before.get(table, set())
        if table == "django_session":
            # The session is the apprentice's own; it must not hold anything about the answer.
            found += [
                f"{table}: the session mentions the response"
                for row in added
                for needle in (str(response.pk), response.pk.hex, token.token)
                if needle in str(row)
            ]
            continue
        names = _columns(table)
        person_columns = [names.index(c) for c, other in _relations(table).items() if other in PEOPLE_TABLES]
        for row in added:
            text = " ".join(str(value) for value in row)
            found += [f"{table}: {needle!r}" for needle in identifiers if needle in text]
            found += [f"{table}: the comment in plain text" for value in row if value == COMMENT]
            found += [
                f"{table}: links to the apprentice through {names[i]}"
                for i in person_columns
                if row[i] in (apprentice.pk, apprentice.person.pk)
            ]
            found += [
                f"{table}: exact time {value}"
                for value in row
                if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0)
            ]
            found += [
                f"{table}: exact time {value}"
                for value in row
                if isinstance(value, str) and len(value) >= 19 and _looks_like_a_time(value)
            ]
    found += [f"logs: {needle!r}" for needle in identifiers if needle in caplog.text]
    assert not found, "\n".join(found)

    # Only the answer's own tables changed: no audit event, held or written, says who answered.
    changed = {table for table, rows in after.items() if rows != before.get(table, set())}
    assert changed - {"django_session"} == ANSWER_TABLES
    assert AuditEvent.objects.count() == audit_events and not DeferredAuditEvent.objects.exists()

    # It is kept by area and month only.
    assert response.area == station.parent and response.month == dt.date.today().replace(day=1)
    assert Answer.objects.get(question=free_text).text == COMMENT


@pytest.mark.django_db
def test_no_table_of_answers_can_point_at_a_person_and_tokens_share_only_the_pulse_with_responses():
    for table in ANSWER_TABLES:
        links = _relations(table)
        assert not set(links.values()) & PEOPLE_TABLES, f"{table} has a foreign key to a person: {links}"
    assert set(_relations("voice_responsetoken").values()) == {"voice_pulse"}
    assert set(_columns("voice_responsetoken")) == {"id", "pulse_id", "token"}
    assert set(_columns("voice_response")) == {"id", "pulse_id", "area_id", "month"}
    assert set(_columns("voice_responsetoken")) & set(_columns("voice_response")) == {"id", "pulse_id"}
    # No table outside the answers refers to a response or a token either.
    for table in connection.introspection.table_names():
        if table not in ANSWER_TABLES:
            others = set(_relations(table).values())
            assert not others & {"voice_response", "voice_responsetoken", "voice_answer"}, table


@pytest.mark.django_db
def test_a_token_is_keyed_so_it_names_no_one_without_the_servers_secret(make_user, settings):
    station = StationFactory()
    lead = make_user(Role.QUALITY_LEAD, station.parent.parent)
    pulse = services.create_pulse(
        by=lead,
        draft=services.PulseDraft(
            title="Heard",
            introduction="",
            questions=[services.QuestionDraft(QuestionKind.YES_NO, "Do leaders listen?")],
            opens_on=dt.date.today(),
            closes_on=dt.date.today(),
            template="",
        ),
    )
    staff = make_user(Role.STAFF, station)
    services.answer_pulse(by=staff, pulse=pulse, choices={pulse.questions.get().pk: 1})
    stored = ResponseToken.objects.get().token

    unkeyed = {
        hashlib.sha256(f"{pulse.public_id}:{staff.public_id}".encode()).hexdigest(),
        hashlib.sha256(f"{staff.public_id}:{pulse.public_id}".encode()).hexdigest(),
        hashlib.sha256(f"{pulse.public_id}{staff.public_id}".encode()).hexdigest(),
    }
    assert stored not in unkeyed and len(stored) == 64
    settings.SECRET_KEY = "someone-elses-secret-" + "y" * 40
    assert not services.has_answered(pulse, staff)
