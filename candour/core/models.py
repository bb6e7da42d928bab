"""Platform records: the append-only audit log, and the scheduler's memory of when jobs last ran."""

import uuid

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel
from candour.core.keys import KEY_ID_MAX_LENGTH, audit_sealing_key_id


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing that happened. Each event's seal (an HMAC under a key the database never holds) covers the
    one before it, so editing, adding or removing any row shows (docs/adr/0021)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120, help_text="Who acted, as shown; a system job names itself")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of CANDOUR_AUDIT_KEYS sealed it, so the keys rotate; a new event takes the first.
    key_id = models.CharField(max_length=KEY_ID_MAX_LENGTH, default=audit_sealing_key_id)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-sequence"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The single row writers lock so that events join the chain one at a time, in order."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at #{self.sequence}"


class ScheduledJobRun(models.Model):
    """When each periodic job was last enqueued (a time-of-day job: or first seen, so that it first runs at
    its next time), so that any number of schedulers enqueue it once per period."""

    name = models.CharField(max_length=120, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class AuditVerification(models.Model):
    """The result of each nightly walk of the audit chain, so administrators see tampering early."""

    ran_at = models.DateTimeField()
    events_checked = models.PositiveBigIntegerField()
    intact = models.BooleanField()
    first_broken_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'intact' if self.intact else 'broken'}"


class DeferredAuditEvent(models.Model):
    """An anonymous reporter's action, held until the nightly flush appends the day's batch to the chain
    in random order, so neither its place in the chain nor its id reveals when it happened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    day = models.DateField()
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.day} {self.action} {self.object_type}"


class SubmittedForm(models.Model):
    """A form that has done its work, by the one-time token it carried, and where it sent the person next.
    Sending the same form again (a reload, a double tap, a retry) goes there instead of doing it twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.CharField(max_length=32, unique=True)
    location = models.CharField(max_length=2000, blank=True)
    sent_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["sent_on"])]

    def __str__(self) -> str:
        return f"form sent {self.sent_on}"


class ThrottleKey(models.Model):
    """Today's random key for throttle buckets. Yesterday's is deleted with yesterday's counts, so a copy
    of the database cannot tell which address tried what on a day that is over."""

    day = models.DateField(unique=True)
    key = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"throttle key for {self.day}"


class ThrottleCount(models.Model):
    """Attempts in one window for one keyed hash of (what is limited, who or what tried). Counted in the
    database so that every web process shares one count, and a restart forgets nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bucket = models.CharField(max_length=64, unique=True)
    window_ends = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} attempts until {self.window_ends:%H:%M}"


class OutboxMessage(models.Model):
    """One email to one address. Written in the transaction of whatever it tells about, so it exists exactly
    when that happened; sent after it commits by the task worker, outside any transaction, and marked the
    moment the mail server takes it, so it goes once (docs/adr/0020)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=255)
    # Emptied once sent: the mail has gone, and a copy here would only be one more place to find it.
    body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    queued_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker's hold on a message while it talks to the mail server; another may take it once this passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A notice whose time would date what it tells of (new concerns, some of them anonymous: ADR 18) is
    # deleted the moment the mail server takes it, rather than kept as a record of when it went.
    forget_when_sent = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.subject} to {self.to}"


class ImportColumnMapping(BaseModel):
    """Which of a file's own columns give each of a feed's, saved for the next file with the same header
    (a learning system's export names its columns its own way). Column names only, nothing about anyone."""

    feed = models.CharField(max_length=40)
    # The header's names, and a digest of them folded to lower case for finding the mapping again: a header
    # of many long names is too long to index itself.
    header = models.JSONField()
    header_digest = models.CharField(max_length=64)
    columns = models.JSONField(help_text="The feed's column → the file's column")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "header_digest"], name="import_column_mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.feed} columns"


class ImportJob(BaseModel):
    """A file uploaded for one of the registered feeds (core.importing.feeds), imported in the background by
    the task worker, with its outcome: the counts, or every problem with its line (docs/adr/0039)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    feed = models.CharField(max_length=40, help_text="The feed's key, as registered")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    # Under MEDIA_ROOT, kept only until the import ends.
    stored_path = models.CharField(max_length=300)
    size_bytes = models.PositiveBigIntegerField()
    # A file in another system's own layout is read through the columns chosen for it (importing.mappings).
    columns = models.JSONField(null=True, blank=True, help_text="The feed's column → the file's column")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.feed}: {self.file_name}"
