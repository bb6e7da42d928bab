"""An anonymous concern, raised through the web by a signed-in apprentice, leaves no link to them.

Every row the submission added or changed, in every table, is searched for the apprentice's user id,
person id, email, IP address, user agent and session key; and the captured logs too. Rows the request
added must also carry no time finer than the day. The session, which is the apprentice's own, must not
mention the concern."""

import contextlib
import datetime as dt
import logging
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from candour.people.roles import Role
from candour.speakup.models import Concern, Identity, Kind

IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14) DistinctiveBrowser/9.9"


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


def _references_to(table: str, target_tables: set[str]) -> list[int]:
    """Positions of the columns in `table` that are foreign keys to any of `target_tables`."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    names = _columns(table)
    return [names.index(column) for column, (_, other) in relations.items() if other in target_tables]


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_concern_leaves_no_trace_of_who_raised_it(make_user, caplog):
    apprentice = make_user(Role.APPRENTICE, email="distinctive.apprentice@test.example")
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)
    client.force_login(apprentice)
    client.get(reverse("speakup:start_concern"))
    session_key = client.session.session_key
    before = _snapshot()
    caplog.set_level(logging.DEBUG)

    response = client.post(
        reverse("speakup:raise_concern", kwargs={"kind": Kind.LOW_LEVEL}),
        {
            "colleague": "",
            "colleague_description": "The driver on the late shift",
            "station": "",
            "narrative": "They made a remark about my appearance in front of the crew.",
            "identity": Identity.ANONYMOUS,
            "reporter_is_apprentice": "yes",
        },
    )
    assert response.status_code == 200 and 'id="receipt-code"' in response.text
    concern = Concern.objects.get()
    after = _snapshot()

    identifiers = {
        str(apprentice.public_id),
        str(apprentice.person.public_id),
        apprentice.email,
        IP,
        USER_AGENT,
        session_key,
    }
    people_tables = {"people_user", "people_person"}
    found = []
    for table, rows in after.items():
        added = rows - before.get(table, set())
        if table == "django_session":
            found += [
                f"{table}: the session mentions the concern" for row in added if str(concern.pk) in str(row)
            ]
            found += [f"{table}: the session mentions it" for row in added if concern.reference in str(row)]
            continue
        person_columns = _references_to(table, people_tables)
        for row in added:
            text = " ".join(str(value) for value in row)
            found += [f"{table}: {needle!r}" for needle in identifiers if needle in text]
            found += [
                f"{table}: links to user/person id {row[i]}"
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
    logs = caplog.text
    found += [f"logs: {needle!r}" for needle in identifiers if needle in logs]

    assert not found, "\n".join(found)
    assert concern.raised_by is None


def _looks_like_a_time(value: str) -> bool:
    try:
        parsed = dt.datetime.fromisoformat(value[:26])
    except ValueError:
        return False
    return (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0)


@contextlib.contextmanager
def _development_server():
    """Django's own development server (what `make run` starts), answering in a thread on a free port.
    Leaving the block waits for it to finish the last request, and so to have logged it."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())  # not candour.wsgi, whose django.setup() would configure logging again
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _send(url: str, data: bytes | None = None) -> None:
    with contextlib.suppress(urllib.error.HTTPError):  # a refusal is logged like any other answer
        urllib.request.urlopen(url, data=data, timeout=30).read()


@pytest.mark.django_db(transaction=True)
def test_the_development_server_log_leaves_out_speak_up_requests():
    kept = _Kept()
    logs = [logging.getLogger(name) for name in ("django.server", "django.request", "django.security.csrf")]
    for log in logs:
        log.addHandler(kept)
    try:
        with _development_server() as server:
            _send(f"{server}/speak-up/follow-up/")
            _send(f"{server}/speak-up/follow-up/", data=b"code=2222-2222")  # no CSRF token: refused
            _send(f"{server}/static/core/candour.css")
    finally:
        for log in logs:
            log.removeHandler(kept)

    assert kept.lines, "the server logged nothing at all"
    assert not [line for line in kept.lines if "/speak-up/" in line], kept.lines
    assert any('"GET /static/core/candour.css HTTP/1.1" 200' in line for line in kept.lines), kept.lines
