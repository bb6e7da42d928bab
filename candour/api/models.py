"""Integrations (a trust's other systems) and the keys they call the API with.

A key is shown once, when it is issued; only a keyed hash of it is kept (docs/adr/0029). Its prefix, which is
not secret, tells keys apart on the administrators' pages and finds the row to compare the hash against.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from candour.api.scopes import KeyScope
from candour.core.base import BaseModel
from candour.people.models import OrgUnit

PREFIX_LENGTH = 12


class Integration(BaseModel):
    """One of the trust's systems that sends feeds or reads measures: what it is, who owns it, whom to ask."""

    trust = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    owner = models.CharField(max_length=120, help_text="The team or person answerable for the system")
    contact = models.EmailField(help_text="Whom to tell when its key is about to expire or is revoked")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="api_integration_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def access_unit(self) -> OrgUnit:
        return self.trust


class ApiKeyQuerySet(models.QuerySet):
    def live(self, now=None):
        """Keys that open the API now: neither revoked nor past their expiry."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiKey(BaseModel):
    """A key an integration calls with. Two may be live at once while an integration moves to a new one."""

    integration = models.ForeignKey(Integration, on_delete=models.PROTECT, related_name="keys")
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    # HMAC-SHA256 of the whole key, hex: enough to check a key, of no use to call with.
    hashed = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="+")
    expires_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_key_revoked_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.integration} key {self.prefix}"

    @property
    def access_unit(self) -> OrgUnit:
        return self.integration.trust

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Live" if self.is_live() else "Expired"

    def allows(self, scope: KeyScope | str) -> bool:
        return str(scope) in self.scopes

    def scope_labels(self) -> list[str]:
        return [KeyScope(scope).label for scope in self.scopes if scope in KeyScope.values]


class Submission(BaseModel):
    """A batch of rows an integration sent for one feed, under the idempotency key it chose: sent again with
    the same key and body, the first outcome is the answer and nothing is written again."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the worker"
        RUNNING = "running", "Being checked and written"
        DONE = "done", "Imported"
        FAILED = "failed", "Refused: nothing imported"

    integration = models.ForeignKey(Integration, on_delete=models.PROTECT, related_name="submissions")
    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    feed = models.CharField(max_length=60)
    idempotency_key = models.CharField(max_length=200)
    # SHA-256 of the feed and the body as sent: the same key with another body is refused.
    body_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    rows = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Rows kept for the worker (under MEDIA_ROOT), removed once it has imported them.
    stored_path = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "idempotency_key"], name="api_submission_idempotency_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feed} submission {self.public_id}"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}
