"""Learning's import jobs move to core's one job model: each is copied with its public id, its times and its
outcome, and one left waiting for learning's old task is copied as stopped part-way."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candour.people.roles import Role
from tests.support.factories import make_user

BEFORE = [
    ("learning", "0008_cohort_transfer_packs_made_by_the_worker"),
    ("core", "0012_import_column_mapping"),
]
AFTER = [("learning", "0009_import_jobs_move_to_core")]
UPLOADED = dt.datetime(2026, 10, 1, 8, 30, tzinfo=dt.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_learnings_jobs_are_copied_to_core_and_an_unfinished_one_is_stopped():
    lead = make_user(Role.EDUCATION_LEAD)
    done_id, waiting_id = uuid.uuid4(), uuid.uuid4()
    try:
        old = _migrate(BEFORE).get_model("learning", "ImportJob")
        for public_id, status in ((done_id, "done"), (waiting_id, "waiting")):
            job = old.objects.create(
                public_id=public_id,
                feed="training records",
                uploaded_by_id=lead.pk,
                file_name=f"{status}.csv",
                stored_path=f"imports/{public_id}",
                size_bytes=10,
                status=status,
                rows_read=3 if status == "done" else 0,
                created=3 if status == "done" else 0,
            )
            old.objects.filter(pk=job.pk).update(created_at=UPLOADED, updated_at=UPLOADED)

        new = _migrate(AFTER).get_model("core", "ImportJob")

        done, waiting = new.objects.get(public_id=done_id), new.objects.get(public_id=waiting_id)
        assert (done.feed, done.status, done.rows_read, done.created) == ("training_records", "done", 3, 3)
        assert (done.file_name, done.uploaded_by_id, done.created_at) == ("done.csv", lead.pk, UPLOADED)
        assert (waiting.status, waiting.error_count) == ("failed", 1)
        assert waiting.errors[0]["stopped"] and waiting.finished_at is not None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
