"""Concerns, from a low-level unease to a safeguarding referral, and the case work on them.

Privacy is in the shape of the data: an anonymous concern has no user, and nothing about it or its
conversation carries a time finer than the day. Narratives, notes and messages are encrypted at rest.
Nothing in a case is overwritten or deleted: a correction is a new entry that points at the old one.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from candour.core.encryption import EncryptedTextField
from candour.core.tags import tag_colours
from candour.people.models import OrgUnit, Person


def random_key() -> int:
    """A key drawn at random (never 0 or negative), where a counter would give away the order of rows."""
    return secrets.randbelow(2**63 - 1) + 1


class Kind(models.TextChoices):
    LOW_LEVEL = "low_level", "A low-level concern about a colleague"
    EXPERIENCED = "experienced", "Something I experienced or witnessed"
    PATIENT_SAFEGUARDING = "patient_safeguarding", "A patient safeguarding referral (adult or child at risk)"
    PATIENT_SAFETY = "patient_safety", "Patient safety or quality of care"
    WORKER_WELLBEING = "worker_wellbeing", "Worker safety or wellbeing"
    PREVENT = "prevent", "Prevent (radicalisation)"


class Behaviour(models.TextChoices):
    """What was experienced or witnessed."""

    SEXUAL_SAFETY = "sexual_safety", "Sexual safety (harassment, assault, unwanted behaviour)"
    HARASSMENT = "harassment", "Harassment"
    BULLYING = "bullying", "Bullying"
    INAPPROPRIATE = "inappropriate", "Inappropriate attitudes or behaviour"
    DISCRIMINATION = "discrimination", "Discrimination"


class Category(models.TextChoices):
    """Triage categories. The National Guardian's Office return counts the first six."""

    PATIENT_SAFETY = "patient_safety", "Patient safety or quality"
    WORKER_SAFETY = "worker_safety", "Worker safety or wellbeing"
    BULLYING_HARASSMENT = "bullying_harassment", "Bullying or harassment"
    INAPPROPRIATE = "inappropriate", "Inappropriate attitudes or behaviours"
    DETRIMENT = "detriment", "Detriment for speaking up"
    SEXUAL_SAFETY = "sexual_safety", "Sexual safety"
    DISCRIMINATION = "discrimination", "Discrimination"
    SAFEGUARDING_ADULT = "safeguarding_adult", "Safeguarding an adult"
    SAFEGUARDING_CHILD = "safeguarding_child", "Safeguarding a child"
    PREVENT = "prevent", "Prevent (radicalisation)"
    CONDUCT = "conduct", "Conduct of a colleague (low level)"
    OTHER = "other", "Other"


class Identity(models.TextChoices):
    OPEN = "open", "Open"
    CONFIDENTIAL = "confidential", "Confidential"
    ANONYMOUS = "anonymous", "Anonymous"


class Subject(models.TextChoices):
    COLLEAGUE = "colleague", "A colleague"
    PATIENT = "patient", "A patient"
    PROCESS = "process", "A process or a place"
    UNKNOWN = "unknown", "I don't know, or I'd rather not say"


class Route(models.TextChoices):
    """Which team works the concern."""

    SAFEGUARDING = "safeguarding", "Safeguarding team"
    GUARDIAN = "guardian", "Freedom to speak up guardian"


@tag_colours(
    {
        "new": "blue",
        "triaged": "aqua-green",
        "investigating": "yellow",
        "referred": "purple",
        "closed": "grey",
    }
)
class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    INVESTIGATING = "investigating", "Investigating"
    REFERRED = "referred", "Referred, awaiting outcome"
    CLOSED = "closed", "Closed"


class Threshold(models.TextChoices):
    LOW_LEVEL = "low_level", "Low level (below the harm threshold)"
    MEETS = "meets", "Meets the harm threshold"


class SpeakUpAgain(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    MAYBE = "maybe", "Maybe"
    DONT_KNOW = "dont_know", "Don't know"


class ConcernQuerySet(models.QuerySet):
    def open(self) -> ConcernQuerySet:
        return self.exclude(status=Status.CLOSED)

    def about(self, person: Person) -> ConcernQuerySet:
        return self.filter(subject_person=person)

    def free_reference(self) -> str:
        """A new reference no concern has: C- and six symbols that cannot be misread."""
        from candour.speakup.receipts import ALPHABET

        while True:
            reference = "C-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
            if not self.filter(reference=reference).exists():
                return reference


class Concern(models.Model):
    """One concern raised. Deliberately without created/updated timestamps, and keyed by a random UUID
    rather than a counter: neither may reveal when an anonymous concern arrived (docs/adr/0006)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    behaviour = models.CharField(max_length=24, choices=Behaviour.choices, blank=True)
    identity = models.CharField(max_length=16, choices=Identity.choices)
    route = models.CharField(max_length=16, choices=Route.choices)
    # Empty for anonymous concerns, always: there is no other link to the person.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the reporter chose to say about themselves; never derived from an anonymous reporter's account.
    reporter_is_apprentice = models.BooleanField(null=True)
    reporter_professional_group = models.CharField(max_length=32, blank=True)

    subject_type = models.CharField(max_length=16, choices=Subject.choices)
    subject_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns_about"
    )
    subject_description = EncryptedTextField(blank=True)
    # Someone who must never see this concern though it is not about them: for example the line manager
    # of an apprentice whose welfare answer raised it. Treated like a conflict of interest.
    withheld_from = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns_withheld"
    )
    station = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(null=True, blank=True)
    occurred_on_is_approximate = models.BooleanField(default=False)
    narrative = EncryptedTextField()

    received_on = models.DateField()
    triage_due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    primary_category = models.CharField(max_length=24, choices=Category.choices, blank=True)
    secondary_categories = models.JSONField(default=list, blank=True)
    threshold = models.CharField(max_length=16, choices=Threshold.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=32, blank=True)
    outcome = EncryptedTextField(blank=True)
    feedback_given_on = models.DateField(null=True, blank=True)
    speak_up_again = models.CharField(max_length=16, choices=SpeakUpAgain.choices, blank=True)
    # The reporter wrote again after closure, which opens the conversation to the case team once more.
    conversation_reopened_on = models.DateField(null=True, blank=True)

    # The anonymous reporter's way back in: a lookup part stored plainly, and a slow hash of the secret.
    receipt_lookup = models.CharField(max_length=8, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    # Leads are told of new concerns in periodic batches, never one email per submission as it happens.
    leads_notified = models.BooleanField(default=False)

    objects = ConcernQuerySet.as_manager()

    # True for a concern the reporter sent anonymously that is still held for the next batch: shown to them
    # as on its way, never saved as it is (speakup.services.held).
    on_its_way = False

    class Meta:
        ordering = ["-received_on", "reference"]
        indexes = [
            models.Index(fields=["route", "status", "received_on"]),
            models.Index(fields=["subject_person", "kind", "received_on"]),
            models.Index(fields=["station", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(identity="anonymous") | Q(raised_by__isnull=True),
                name="anonymous_has_no_reporter",
            ),
            models.CheckConstraint(
                condition=Q(identity="anonymous") | Q(raised_by__isnull=False), name="named_has_reporter"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_on__isnull=False) & ~Q(outcome="") & ~Q(closure_reason="")),
                name="closed_has_outcome_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_id(self) -> uuid.UUID:
        return self.id

    @property
    def is_anonymous(self) -> bool:
        return self.identity == Identity.ANONYMOUS

    @property
    def categories(self) -> list[str]:
        return [c for c in [self.primary_category, *self.secondary_categories] if c]

    @property
    def access_unit(self):
        return self.station


class PatientDetails(models.Model):
    """What a crew records when referring a patient at risk. Every identifying detail is encrypted."""

    class Consent(models.TextChoices):
        YES = "yes", "Yes, they agreed to the referral"
        NO = "no", "No, they did not agree"
        NOT_POSSIBLE = "not_possible", "It was not possible or not safe to ask"

    # Known before the row is saved: its encrypted text is bound to it (docs/adr/0021).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="patient")
    is_child = models.BooleanField()
    name = EncryptedTextField()
    nhs_number = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    nature_of_risk = EncryptedTextField()
    consent = models.CharField(max_length=16, choices=Consent.choices)
    local_authority_called = models.BooleanField()
    local_authority_reference = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"Patient details for {self.concern}"


class CaseTeamMember(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "user"], name="case_team_member_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.concern}"


class Entry(models.Model):
    """One line of a case's chronology. Never edited: a correction is a new entry pointing at this one.
    Keyed at random: a counter would place an anonymous reporter's message among dated ones (ADR 18)."""

    # Known before the row is saved: its encrypted text is bound to it (docs/adr/0021).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Type(models.TextChoices):
        NOTE = "note", "Note"
        ACTION = "action", "Action"
        DECISION = "decision", "Decision"
        MESSAGE_TO_REPORTER = "message_to_reporter", "Message to the person who raised it"
        MESSAGE_FROM_REPORTER = "message_from_reporter", "Message from the person who raised it"
        STATUS = "status", "Status change"
        REFERRAL = "referral", "Referral"
        CORRECTION = "correction", "Correction"

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField()
    type = models.CharField(max_length=24, choices=Type.choices)
    event_on = models.DateField(help_text="When it happened, which may be before it was written down")
    recorded_on = models.DateField()
    # When staff wrote it down, to the minute. An anonymous reporter's entries keep the day only: a time
    # could be matched against the reporter's own activity (docs/adr/0006, docs/adr/0019).
    recorded_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField()
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["event_on", "sequence"]
        constraints = [models.UniqueConstraint(fields=["concern", "sequence"], name="entry_sequence_once")]

    def __str__(self) -> str:
        return f"{self.concern} #{self.sequence} {self.type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Case entries are never changed; add a correction instead.")
        super().save(*args, **kwargs)

    # True for an anonymous reporter's message still held for the next batch (speakup.services.held).
    on_its_way = False

    @property
    def is_visible_to_reporter(self) -> bool:
        return self.type in (self.Type.MESSAGE_TO_REPORTER, self.Type.MESSAGE_FROM_REPORTER)


class Task(models.Model):
    """Something someone on the case team is to do by a date. What it is can say a great deal about the
    case, so it is encrypted like a note."""

    # Known before the row is saved, so text encrypted on it can be bound to it (docs/adr/0021).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="tasks")
    title = EncryptedTextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    class Agency(models.TextChoices):
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        LADO = "lado", "Local authority designated officer (LADO)"
        POLICE = "police", "Police"
        CQC = "cqc", "Care Quality Commission"
        REGULATOR = "regulator", "Professional regulator (for example HCPC, NMC)"
        DBS = "dbs", "Disclosure and Barring Service"

    @tag_colours(
        {"awaiting": "yellow", "accepted": "green", "no_further_action": "grey", "declined": "orange"}
    )
    class Outcome(models.TextChoices):
        AWAITING = "awaiting", "Awaiting outcome"
        ACCEPTED = "accepted", "Accepted, action taken"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        DECLINED = "declined", "Declined"

    # Known before the row is saved, so text encrypted on it can be bound to it (docs/adr/0021).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=32, choices=Agency.choices)
    referred_on = models.DateField()
    # An agency's reference finds the case in police or social care records: encrypted like the case.
    their_reference = EncryptedTextField(blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.AWAITING)
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} ({self.get_outcome_display()})"


class PatternFlag(models.Model):
    """Low-level concerns about one person reached the threshold. Seen by the safeguarding lead only."""

    subject_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    concern_count = models.PositiveSmallIntegerField()
    window_days = models.PositiveSmallIntegerField()
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on"]

    def __str__(self) -> str:
        return f"Pattern about {self.subject_person} ({self.concern_count} concerns)"


class HeldAnonymousWrite(models.Model):
    """Something an anonymous reporter sent (a concern, a message, an answer), held until the next batch
    writes it where it belongs (docs/adr/0018, speakup.services.held).

    Written at once, a row's place among the others (SQLite's rowid, PostgreSQL's heap order, a counter,
    the audit chain) would tell when it arrived, and so who was about at that moment. Held here, keyed at
    random, dated to the day, with what it says encrypted, then written with everything else held, in a
    random order: a copy of the database can tell the batch, never the moment.
    """

    class Action(models.TextChoices):
        RAISE = "raise", "Raise a concern"
        REPLY = "reply", "Reply"
        ANSWER = "answer", "Answer whether they would speak up again"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.CharField(max_length=8, choices=Action.choices)
    # The concern this is (chosen now, kept when it is written) or is about. Not a foreign key: a concern
    # that is itself held has no row yet.
    concern_id = models.UUIDField(db_index=True)
    received_on = models.DateField()
    # A hash of the one-time token of the form that sent it: the same form sent twice is held once. Kept
    # only here, so it goes when the batch is written.
    submission = models.CharField(max_length=64, unique=True)
    # Where this is among the same reporter's held messages, so that two sent in one interval arrive in
    # the order they were written. It counts only their own messages, so it dates nothing.
    position = models.PositiveSmallIntegerField(default=1)
    # For a held concern: how its reporter finds it again, which team it goes to, and whether that team
    # has been told a new concern is coming (urgent routing waits for no batch).
    receipt_lookup = models.CharField(max_length=8, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    route = models.CharField(max_length=16, choices=Route.choices, blank=True)
    leads_notified = models.BooleanField(default=False)
    # What was sent, as JSON: the concern's fields, the message, or the answer.
    content = EncryptedTextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="raise") | (Q(receipt_lookup__isnull=False) & ~Q(route="")),
                name="held_concern_has_receipt_and_route",
            )
        ]

    def __str__(self) -> str:
        return f"held {self.get_action_display().lower()} of {self.received_on}"
