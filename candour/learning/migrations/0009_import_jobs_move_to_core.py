"""Training-record uploads are now core's import jobs, one job model for every feed (docs/adr/0039): each of
learning's jobs is copied to core with its public id (the id its audit events name), its times and its
outcome, and learning's model goes.

A job still waiting or running here was queued for learning's own import task, which no longer exists: it is
copied as stopped part-way, as the watchdog would have left it, and its page offers to upload the file again.
Core's daily sweep forgets the file it kept.
"""

from django.db import migrations
from django.utils import timezone

# Learning named the feed in words; core's jobs name it by its registered key.
FEED_WORDS, FEED_KEY = "training records", "training_records"
STOPPED = {"line": None, "column": "", "reason": "The import stopped before it finished.", "stopped": True}
UNFINISHED = ("waiting", "running")
OUTCOME = (
    "file_name",
    "stored_path",
    "size_bytes",
    "status",
    "rows_read",
    "created",
    "updated",
    "unchanged",
    "error_count",
    "errors",
    "finished_at",
)


def copy_to_core(apps, schema_editor):
    LearningJob = apps.get_model("learning", "ImportJob")
    CoreJob = apps.get_model("core", "ImportJob")
    now = timezone.now()
    for job in LearningJob.objects.order_by("pk").iterator():
        fields = {name: getattr(job, name) for name in OUTCOME}
        if job.status in UNFINISHED:
            fields.update(status="failed", error_count=1, errors=[STOPPED], finished_at=now)
        copied = CoreJob.objects.create(
            public_id=job.public_id,
            feed=FEED_KEY if job.feed == FEED_WORDS else job.feed,
            uploaded_by_id=job.uploaded_by_id,
            **fields,
        )
        # Saving sets these to now; the copy keeps when the upload came and when it last changed.
        CoreJob.objects.filter(pk=copied.pk).update(created_at=job.created_at, updated_at=job.updated_at)


def copy_back(apps, schema_editor):
    LearningJob = apps.get_model("learning", "ImportJob")
    CoreJob = apps.get_model("core", "ImportJob")
    for job in CoreJob.objects.filter(feed=FEED_KEY).order_by("pk").iterator():
        copied = LearningJob.objects.create(
            public_id=job.public_id,
            feed=FEED_WORDS,
            uploaded_by_id=job.uploaded_by_id,
            **{name: getattr(job, name) for name in OUTCOME},
        )
        LearningJob.objects.filter(pk=copied.pk).update(created_at=job.created_at, updated_at=job.updated_at)
        job.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0008_cohort_transfer_packs_made_by_the_worker"),
        ("core", "0013_import_jobs"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="ImportJob"),
    ]
