"""Speak-up migrations that change data keep it whole."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("speakup", "0003_anonymous_writes_held")]
AFTER = [("speakup", "0004_entry_random_key")]


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_entries_keyed_by_a_counter_get_random_keys_and_keep_their_corrections():
    apps = _migrate(BEFORE)
    Concern = apps.get_model("speakup", "Concern")
    Entry = apps.get_model("speakup", "Entry")
    today = dt.date(2026, 3, 10)
    concern = Concern.objects.create(
        reference="C-MIGRAT",
        kind="low_level",
        identity="anonymous",
        route="safeguarding",
        subject_type="unknown",
        narrative="Before",
        received_on=today,
        triage_due_on=today,
    )
    # Written as the table holds them: what the bodies say does not matter here, only that they stay with
    # their entries (and opening them needs the public ids a later migration brings).
    with connection.cursor() as cursor:
        for pk, sequence, type, corrects in (
            (1, 1, "note", None),
            (2, 2, "correction", 1),
            (3, 3, "message_from_reporter", None),
        ):
            cursor.execute(
                "INSERT INTO speakup_entry (id, concern_id, sequence, type, event_on, recorded_on, body, "
                "corrects_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    pk,
                    concern.pk.hex if connection.vendor == "sqlite" else concern.pk,
                    sequence,
                    type,
                    today,
                    today,
                    f"sealed {sequence}",
                    corrects,
                ],
            )
    first, correction, message = Entry.objects.order_by("sequence")
    counted = {first.pk, correction.pk, message.pk}

    try:
        apps = _migrate(AFTER)
        Entry = apps.get_model("speakup", "Entry")
        entries = {entry.sequence: entry for entry in Entry.objects.defer("body")}
        bodies = dict(Entry.objects.values_list("sequence", "body"))
    finally:
        _migrate(_latest())  # whatever happened, later tests need the schema as it is now

    assert sorted(entries) == [1, 2, 3]
    keys = {entry.pk for entry in entries.values()}
    assert len(keys) == 3 and not keys & counted and all(key > 0 for key in keys)
    assert entries[2].corrects_id == entries[1].pk and entries[3].corrects_id is None
    assert bodies == {1: "sealed 1", 2: "sealed 2", 3: "sealed 3"}
