"""An anonymous concern, raised through the web by a signed-in apprentice, leaves no link to them.

Every row the submission added or changed, in every table, is searched for the apprentice's user id,
person id, email, IP address, user agent and session key; and the captured logs too. Rows the request
added must also carry no time finer than the day, and nothing that is the apprentice's own (their session,
their user and person rows) may change at all. Then an adversary with the whole database, in the engine's
own order, tries to date the concern among named, timed work; and the development server's log is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import secrets
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from candour.core import audit, throttle
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup import tasks as speakup_tasks
from candour.speakup.models import Category, Concern, Identity, Kind, Subject, Threshold
from tests.support.factories import AreaFactory, StationFactory

IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14) DistinctiveBrowser/9.9"
FOLLOW_UP = reverse("speakup:follow_up")


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
    with time_machine.travel(_at(10), tick=False) as clock:
        client.force_login(apprentice)
        client.get(reverse("speakup:start_concern"))
        session_key = client.session.session_key
        # Long enough that any page would refresh the session's idle timer, were it allowed to.
        clock.move_to(_at(10, 5))
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
            follow=True,
        )
        assert response.status_code == 200 and 'id="receipt-code"' in response.text
        held = _snapshot()
        services.write_held_anonymous()
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
    theirs = {"django_session", "people_user", "people_person"}
    found = [
        f"{table}: the submission changed a row of the apprentice's own"
        for table in theirs
        if held[table] != before[table]
    ]
    for table, rows in after.items():
        added = (rows | held.get(table, set())) - before.get(table, set())
        person_columns = _references_to(table, theirs)
        for row in added:
            text = " ".join(str(value) for value in row)
            found += [f"{table}: {needle!r}" for needle in identifiers if needle in text]
            found += [
                f"{table}: links to user/person id {row[i]}"
                for i in person_columns
                if row[i] in (apprentice.pk, apprentice.person.pk)
            ]
            if table == "core_throttlecount":
                continue  # the count of concerns from this device: its hour's end, and gone with it (below)
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
    with time_machine.travel(_at(11), tick=False):
        throttle.forget_expired()
    assert _snapshot()["core_throttlecount"] == before["core_throttlecount"]


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


# The adversary: a copy of the whole database, in the engine's own physical order, and its audit log.

DAY = dt.date(2026, 3, 10)  # a Tuesday
APPRENTICE_ADDRESS, ADVERSARY_ADDRESS = "203.0.113.77", "198.51.100.9"
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")


def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class Dump:
    """Every table, every row, in the order the engine keeps them: SQLite's rowid order, PostgreSQL's heap
    order as COPY writes it. Values as text, as a dump holds them."""

    rows: dict[str, list[tuple[str | None, ...]]]
    columns: dict[str, list[str]]

    @classmethod
    def take(cls) -> Dump:
        rows, columns = {}, {}
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                columns[table] = _columns(table)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                        rows[table] = [tuple(row) for row in copy.rows()]
                else:
                    cursor.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
                    rows[table] = [
                        tuple(None if v is None else str(v) for v in row) for row in cursor.fetchall()
                    ]
        return cls(rows, columns)

    def keys(self) -> set[tuple[str, tuple]]:
        return {(table, row) for table, rows in self.rows.items() for row in rows}


def _written_between(before: Dump, after: Dump) -> set[tuple[str, str | None]]:
    """(table, first column) of every row added or changed between two dumps."""
    return {(table, row[0]) for table, row in after.keys() - before.keys()}


def _times_in(row) -> list[str]:
    """Every time finer than the day in the row: the adversary's clock."""
    found = []
    for value in row:
        match = _TIME.match(value or "")
        if match and match.group(2) != "00:00:00":
            found.append(f"{match.group(1)} {match.group(2)}")
    return sorted(found)


class Adversary:
    """Dates what it can: a row by its own times, or by the earliest audit event about it; an anonymous row
    by where it sits among dated ones. `marks` are what the adversary can recognise as one submission's
    (its own marker concerns, and the target's rows); `shuffled` are rows a batch wrote in random order,
    whose order among themselves tells nothing (the batch's own test shows it is random)."""

    def __init__(self, marks: dict[str, set[str]], written_by: dict[str, set], shuffled: list[set]):
        self.marks, self.written_by, self.shuffled = marks, written_by, shuffled

    def _audit_times(self, dump: Dump) -> dict[str, str]:
        columns = dump.columns["core_auditevent"]
        when, about = columns.index("occurred_at"), columns.index("object_id")
        times: dict[str, str] = {}
        for row in dump.rows["core_auditevent"]:
            dated = _times_in([row[when]])
            if dated and row[about]:
                key = row[about].replace("-", "")
                times[key] = min(times.get(key, dated[0]), dated[0])
        return times

    def _label(self, table: str, row, audit_times: dict[str, str]) -> str | None:
        text = " ".join(value or "" for value in row).replace("-", "")
        whose = sorted(
            name
            for name, marks in self.marks.items()
            if any(mark in text for mark in marks) or (table, row[0]) in self.written_by.get(name, set())
        )
        times = _times_in(row)
        if not whose and not times:
            linked = [
                audit_times[value.replace("-", "")]
                for value in row
                if value and value.replace("-", "") in audit_times
            ]
            times = sorted(linked)[:1]
        if not whose and not times:
            return None  # neither dated nor recognisable: nothing to narrow anything down with
        return "+".join(whose) + "@" + ",".join(times)

    def sees(self, dump: Dump) -> dict[str, list[str]]:
        audit_times = self._audit_times(dump)
        seen = {}
        for table, rows in dump.rows.items():
            labels: list[tuple[int | None, str]] = []
            for row in rows:
                label = self._label(table, row, audit_times)
                if label is not None:
                    batch = next((i for i, rows in enumerate(self.shuffled) if (table, row[0]) in rows), None)
                    labels.append((batch, label))
            seen[table] = _unshuffled(labels)
        return {table: labels for table, labels in seen.items() if labels}


def _unshuffled(labels: list[tuple[int | None, str]]) -> list[str]:
    """Each run of rows that one batch wrote, in a canonical order: their order is a random draw."""
    out, run, run_batch = [], [], None
    for batch, label in labels:
        if run and batch != run_batch:
            out += sorted(run)
            run = []
        if batch is None:
            out.append(label)
        else:
            run.append(label)
            run_batch = batch
    return out + sorted(run)


@dataclass
class Cast:
    apprentice: object
    adversary: object
    lead: object
    named: list


def _cast(make_user) -> Cast:
    station = StationFactory(parent=AreaFactory())
    trust = station.parent.parent
    return Cast(
        apprentice=make_user(Role.APPRENTICE, station),
        adversary=make_user(Role.STAFF, station),
        lead=make_user(Role.SAFEGUARDING_LEAD, trust),
        named=[make_user(Role.STAFF, station) for _ in range(3)],
    )


def _raise_named(by) -> Concern:
    return services.raise_concern(
        by=by,
        kind=Kind.LOW_LEVEL,
        identity=Identity.OPEN,
        narrative="Comments in the crew room.",
        subject_type=Subject.COLLEAGUE,
        subject_description="A driver on nights",
    ).concern


def _receipt_code(html: str) -> str:
    shown = re.search(r'id="receipt-code"[^>]*>(.*?)</p>', html, re.S).group(1)
    return re.sub(r"<[^>]+>|\s", "", shown)


def _send_anonymously(client: Client, narrative: str) -> str:
    response = client.post(
        reverse("speakup:raise_concern", kwargs={"kind": Kind.LOW_LEVEL}),
        {
            "colleague_description": "The driver on the late shift",
            "narrative": narrative,
            "identity": Identity.ANONYMOUS,
            "reporter_is_apprentice": "rather_not_say",
        },
        follow=True,
    )
    return _receipt_code(response.text)


def _marks_of(code: str) -> set[str]:
    """What a copy of the database shows of the concern this code opens (once it has arrived)."""
    lookup = code.replace("-", "")[:5]
    concern = Concern.objects.filter(receipt_lookup=lookup).first()
    return {lookup} | ({concern.pk.hex, concern.reference.replace("-", "")} if concern else set())


def _write_held_batch() -> None:
    services.write_held_anonymous()


def _a_day_seen_by_the_adversary(cast: Cast, *, sent_at: dt.datetime) -> list[dict[str, list[str]]]:
    """A day of named, timed work with an apprentice's anonymous concern sent at `sent_at`, and the
    adversary's own anonymous marker concerns at known times; what a copy of the database shows at noon,
    and after the nightly audit flush. Nothing of the day is kept."""
    codes: dict[str, str] = {}
    named: list[Concern] = []
    written_by: dict[str, set] = {}
    shuffled: list[set] = []
    apprentice = Client(REMOTE_ADDR=APPRENTICE_ADDRESS, HTTP_USER_AGENT=USER_AGENT)
    adversary = Client(REMOTE_ADDR=ADVERSARY_ADDRESS)

    def watched(name, act):
        def run():
            before = Dump.take()
            act()
            written_by.setdefault(name, set()).update(_written_between(before, Dump.take()))

        return run

    def batch(write):
        def run():
            before = Dump.take()
            write()
            shuffled.append(_written_between(before, Dump.take()))

        return run

    def marker(name):
        return watched(name, lambda: codes.__setitem__(name, _send_anonymously(adversary, f"Marker {name}")))

    def target():
        codes["target"] = _send_anonymously(apprentice, "They made a remark about my appearance.")
        apprentice.post(FOLLOW_UP, {"code": codes["target"], "action": "reply", "body": "It happened twice."})

    def triage(concern):
        services.triage(
            by=cast.lead,
            concern=concern,
            primary_category=Category.CONDUCT,
            secondary_categories=[],
            threshold=Threshold.LOW_LEVEL,
            owner=cast.lead,
            team=[],
        )

    def lead_answers_the_target():
        concern = Concern.objects.get(receipt_lookup=codes["target"].replace("-", "")[:5])
        triage(concern)
        services.message_reporter(by=cast.lead, concern=concern, body="Which station was it?")

    first, second, third = cast.named
    events = [
        (_at(9), lambda: named.append(_raise_named(first))),
        (_at(9, 55), lambda: adversary.force_login(cast.adversary)),
        (
            _at(10),
            lambda: (
                apprentice.force_login(cast.apprentice),
                apprentice.get(reverse("speakup:start_concern")),
            ),
        ),
        (_at(10), marker("marker 10:00")),
        (
            _at(10, 1),
            lambda: apprentice.get(reverse("speakup:raise_concern", kwargs={"kind": Kind.LOW_LEVEL})),
        ),
        (_at(10, 20), marker("marker 10:20")),
        (_at(10, 30), lambda: _raise_named(second)),
        (_at(10, 30), lambda: triage(named[0])),
        (sent_at, watched("target", target)),
        (_at(11, 5), batch(_write_held_batch)),
        (_at(11, 30), lambda: _raise_named(third)),
        (_at(11, 45), lead_answers_the_target),
    ]
    # The scheduler's periodic jobs: leads told of new concerns, and finished throttle windows forgotten.
    events += [
        (_at(10) + dt.timedelta(minutes=m), speakup_tasks.notify_new_concerns.call)
        for m in range(10, 120, 10)
    ]
    events += [(_at(10) + dt.timedelta(minutes=m), throttle.forget_expired) for m in range(15, 121, 15)]
    events.sort(key=lambda event: event[0])  # stable: at one moment, in the order listed

    seen = []
    with transaction.atomic(), time_machine.travel(_at(9), tick=False) as clock:
        _start_empty_tables_afresh()
        for when, act in events:
            clock.move_to(when)
            act()
        clock.move_to(_at(12))
        adversary_view = lambda: Adversary(  # noqa: E731 - the marks are known only now
            {name: _marks_of(code) for name, code in codes.items()}, written_by, shuffled
        )
        seen.append(adversary_view().sees(Dump.take()))
        clock.move_to(_at(0, 30, DAY + dt.timedelta(days=1)))
        batch(lambda: audit.flush_deferred(before=DAY + dt.timedelta(days=1)))()
        seen.append(adversary_view().sees(Dump.take()))
        transaction.set_rollback(True)
    return seen


def _start_empty_tables_afresh() -> None:
    """PostgreSQL puts a new row in whatever space vacuum has freed from earlier tests' rolled-back rows, so
    where it lands depends on the tests run before, not on when a concern was sent. Each day begins with
    the empty tables' storage new, as a new trust's is; the day's rollback restores it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        empty = []
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if not cursor.fetchone()[0]:
                empty.append(f'"{table}"')
        cursor.execute(f"TRUNCATE {', '.join(empty)}")


def _differences(early: dict, late: dict) -> list[str]:
    return [
        f"{table}:\n  sent at 10:05: {early.get(table)}\n  sent at 10:50: {late.get(table)}"
        for table in sorted(set(early) | set(late))
        if early.get(table) != late.get(table)
    ]


@pytest.mark.django_db
def test_a_copy_of_the_database_cannot_tell_when_within_its_batch_an_anonymous_concern_was_sent(
    make_user, settings
):
    """The adversary holds the whole database, in physical order, and the audit log, taken at noon and
    again after the nightly audit flush; they have sent anonymous concerns of their own at known times
    (10:00 and 10:20) to date others by, and named, timed work goes on before and after. An apprentice's
    anonymous concern (and a reply) sent at 10:05 or at 10:50, both before the 11:05 batch, must look the
    same: then nothing narrows it down further than the batch."""
    settings.CANDOUR_IDLE_TIMEOUT_SECONDS = 3 * 60 * 60  # the apprentice takes their time writing
    cast = _cast(make_user)

    early_noon, early_night = _a_day_seen_by_the_adversary(cast, sent_at=_at(10, 5))
    late_noon, late_night = _a_day_seen_by_the_adversary(cast, sent_at=_at(10, 50))

    assert any("target" in label for label in late_noon["speakup_concern"]), "the concern never arrived"
    assert not _differences(early_noon, late_noon), "\n".join(_differences(early_noon, late_noon))
    assert not _differences(early_night, late_night), "\n".join(_differences(early_night, late_night))


def _hold_concerns(count: int) -> list[str]:
    """Hold `count` anonymous concerns, one after another; gives their ids (hex) in the order they came."""
    return [
        services.raise_anonymous_concern(
            submission=secrets.token_hex(16),
            client_address=f"192.0.2.{n}",
            kind=Kind.WORKER_WELLBEING,
            narrative=f"Concern number {n}",
            subject_type=Subject.PROCESS,
        ).concern_id.hex
        for n in range(count)
    ]


def _order_written(table: str, ids: list[str]) -> list[int]:
    """Where each held concern's rows came in the table: arrival numbers, in the table's physical order."""
    rows = Dump.take().rows[table]
    text = [" ".join(value or "" for value in row).replace("-", "") for row in rows]
    return [index for line in text for index, concern in enumerate(ids) if concern in line]


@pytest.mark.django_db
def test_a_batch_writes_what_was_held_in_an_order_unrelated_to_when_it_came():
    orders = {"speakup_concern": set(), "core_deferredauditevent": set()}
    for _ in range(6):
        with transaction.atomic():
            arrived = _hold_concerns(5)
            services.write_held_anonymous()
            for table, seen in orders.items():
                seen.add(tuple(_order_written(table, arrived)))
            transaction.set_rollback(True)

    # Drawn at random, six batches of five would all come in one order once in 120 ** 5 tries.
    assert all(len(seen) > 1 for seen in orders.values()), orders
    assert all(len(order) == 5 for seen in orders.values() for order in seen), orders
