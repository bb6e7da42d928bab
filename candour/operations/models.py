"""Operations: incidents from the dispatch system (CAD), each with its events and the response it counts.

A long wait (a response over its category's threshold, or an incident the CAD flags as one) opens a harm
review of the incident, one at most.

An incident's events are kept as the CAD gives them, one time per kind of event (blank when it did not
happen), and its re-triages, however many, in a table of their own; its timeline is read from those. What
the ARP clock makes of them (the month, the category it counts under, the response seconds, and the version
of the clock rules) is worked out by `candour.operations.arp` when the incident is imported, so every page
reads the same answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from candour.core.base import BaseModel
from candour.core.encryption import EncryptedTextField
from candour.core.tags import tag_colours


class CodedCategory(models.TextChoices):
    """The categories a call can be coded as: arp.categories.CODED, as database choices."""

    C1 = "C1", "Category 1"
    C2 = "C2", "Category 2"
    C3 = "C3", "Category 3"
    C4 = "C4", "Category 4"


class Outcome(models.TextChoices):
    HEAR_AND_TREAT = "hear_and_treat", "Hear and treat"
    SEE_AND_TREAT = "see_and_treat", "See and treat"
    SEE_AND_CONVEY = "see_and_convey", "See and convey"


class Channel(models.TextChoices):
    VOICE = "voice", "Voice"
    TEXT = "text", "Text relay or emergency SMS"
    BSL_VIDEO = "bsl_video", "999 BSL video"


class Hospital(BaseModel):
    """A hospital the trust's crews take patients to: reference data kept by system administrators (Django
    admin, audited), against which the CAD incidents feed checks each destination. One that no longer
    receives the trust's patients is kept, marked inactive, so its history stays; the feed refuses new
    arrivals there."""

    code = models.CharField(max_length=40, unique=True, help_text="the CAD's code for the hospital")
    name = models.CharField(max_length=120, unique=True)
    acute_trust = models.CharField(
        max_length=160, blank=True, help_text="the acute NHS trust it belongs to, to take its handovers to"
    )
    active = models.BooleanField(default=True, help_text="still receives the trust's patients")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CadIncidentQuerySet(models.QuerySet):
    def for_scope(self, scope) -> CadIncidentQuerySet:
        """Incidents at the stations a scope covers."""
        return self.filter(station_id__in=scope.station_ids)

    def counted(self) -> CadIncidentQuerySet:
        """Incidents with a clock stop: the ones response times count."""
        return self.filter(response_seconds__isnull=False)


class CadIncident(BaseModel):
    """One incident as the CAD recorded it, with the response the ARP clock makes of it."""

    incident_id = models.CharField(max_length=40, unique=True, help_text="the CAD's incident number")
    call_ids = models.CharField(max_length=400, blank=True, help_text="the CAD's call ids, separated by ;")
    station = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=2, choices=CodedCategory.choices, help_text="as first coded")
    call_connected = models.DateTimeField()
    chief_complaint_identified = models.DateTimeField(null=True, blank=True)
    first_assigned = models.DateTimeField(null=True, blank=True)
    first_on_scene = models.DateTimeField(null=True, blank=True)
    first_transport_on_scene = models.DateTimeField(null=True, blank=True)
    conveyed = models.BooleanField()
    hospital = models.ForeignKey(
        Hospital, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    arrived_at_hospital = models.DateTimeField(null=True, blank=True)
    handover_complete = models.DateTimeField(null=True, blank=True)
    crew_clear = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    interpreter_language = models.CharField(max_length=60, blank=True)
    interpreter_joined = models.DateTimeField(null=True, blank=True)
    bariatric = models.BooleanField(default=False)
    long_wait = models.BooleanField(default=False, help_text="flagged as a long wait in the CAD")

    # What the ARP clock makes of the events, set on import.
    month = models.DateField(help_text="first day of the month the call connected in, in Europe/London")
    counted_category = models.CharField(max_length=2, choices=CodedCategory.choices)
    response_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="none: nobody arrived")
    c1t_response_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="transported C1 only")
    clock_rules = models.CharField(max_length=40, help_text="the version of the clock rules applied")

    objects = CadIncidentQuerySet.as_manager()

    class Meta:
        ordering = ["call_connected"]
        indexes = [models.Index(fields=["month", "counted_category"], name="operations_incident_month")]

    def __str__(self) -> str:
        return self.incident_id

    @property
    def access_unit(self):
        return self.station


class Retriage(models.Model):
    """One re-triage of an incident as the CAD gives it: the incident's whole history is its re-triages in
    `position` order (1 first), which is their time order. The clock counts the incident under the last."""

    incident = models.ForeignKey(CadIncident, on_delete=models.CASCADE, related_name="retriages")
    position = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    category = models.CharField(max_length=2, choices=CodedCategory.choices, help_text="the new category")

    class Meta:
        ordering = ["incident", "position"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "position"], name="one_retriage_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} re-triaged to {self.category}"


class CadCallQuerySet(models.QuerySet):
    def for_scope(self, scope) -> CadCallQuerySet:
        """Calls at the scope's stations (by their incident); one no incident lists is the trust's."""
        return self.filter(scope.where("station"))


class CadCall(BaseModel):
    """One call as the CAD's call log has it. Its area is the station of the incident that lists it, when
    one does; the recording that accounts for it is found by `services.recordings.reconcile`."""

    class MatchedBy(models.TextChoices):
        CALL_ID = "call_id", "The recorder's call id"
        POSITION_AND_TIME = "position_time", "Answering position and time"

    call_id = models.CharField(max_length=40, unique=True, help_text="the CAD's call id")
    line = models.CharField(max_length=40, blank=True, help_text="the 999 line or trunk it came in on")
    connected = models.DateTimeField()
    answered = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    call_handler = models.CharField(max_length=20, blank=True, help_text="the call handler's staff number")
    position = models.CharField(max_length=40, blank=True, help_text="the answering position or extension")
    month = models.DateField(help_text="first day of the month it connected in, in Europe/London")
    station = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recording = models.OneToOneField(
        "operations.Recording", null=True, blank=True, on_delete=models.SET_NULL, related_name="call"
    )
    matched_by = models.CharField(max_length=16, choices=MatchedBy.choices, blank=True)

    objects = CadCallQuerySet.as_manager()

    class Meta:
        ordering = ["connected"]
        indexes = [
            models.Index(fields=["connected"], name="operations_call_connected"),
            models.Index(fields=["month", "station"], name="operations_call_month"),
        ]

    def __str__(self) -> str:
        return self.call_id

    @property
    def access_unit(self):
        return self.station

    @property
    def spoken_seconds(self) -> int | None:
        """From answer to end: what a recording of the call should last."""
        if self.answered and self.ended:
            return int((self.ended - self.answered).total_seconds())
        return None


class Recording(BaseModel):
    """One entry of the voice recorder's (or media store's) index: a recording, a text transcript or a
    video, as the recorder lists it."""

    recording_id = models.CharField(max_length=60, unique=True, help_text="the recorder's id")
    started = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField()
    channel = models.CharField(max_length=12, choices=Channel.choices)
    position = models.CharField(max_length=40, blank=True, help_text="the position or extension recorded")
    call_id = models.CharField(
        max_length=40, blank=True, help_text="the CAD's call id, where the recorder knows it"
    )

    class Meta:
        ordering = ["started"]
        indexes = [models.Index(fields=["started"], name="operations_recording_started")]

    def __str__(self) -> str:
        return self.recording_id


class RecordingExceptionQuerySet(models.QuerySet):
    def open(self) -> RecordingExceptionQuerySet:
        return self.filter(closed_at__isnull=True)

    def for_scope(self, scope) -> RecordingExceptionQuerySet:
        """A call's exception belongs to its incident's station; one with no station (a recording with no
        call, a call no incident lists) is the trust's, seen by whoever sees the whole trust."""
        return self.filter(scope.where("station"))


class RecordingException(BaseModel):
    """Something the reconciliation of calls and recordings found wrong, kept until someone closes it with a
    reason. One per kind of problem per call (or per recording), so a nightly run never raises it twice."""

    class Kind(models.TextChoices):
        UNRECORDED_CALL = "unrecorded_call", "Call with no recording"
        TRANSCRIPT_MISSING = "transcript_missing", "Text or video call with no stored transcript"
        DURATION_MISMATCH = "duration_mismatch", "Recording shorter or longer than the call"
        RECORDING_WITHOUT_CALL = "recording_without_call", "Recording with no call"

    @tag_colours({1: "red", 2: "orange", 3: "yellow"})
    class Severity(models.IntegerChoices):
        CRITICAL = 1, "Critical"
        MAJOR = 2, "Major"
        MINOR = 3, "Minor"

    class Reason(models.TextChoices):
        RECORDER_FAULT = "recorder_fault", "Recorder fault: the call was not recorded"
        ARCHIVED = "archived", "Found in the archive: the call was recorded"
        TEST_CALL = "test_call", "Test call"
        FALSE_POSITIVE = "false_positive", "False positive: nothing was wrong"
        DUPLICATE = "duplicate", "Duplicate entry in the call log or recorder index"
        OTHER = "other", "Other (explained in the note)"
        MATCHED = "matched", "Matched by a later reconciliation"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    call = models.ForeignKey(
        CadCall, null=True, blank=True, on_delete=models.PROTECT, related_name="exceptions"
    )
    recording = models.ForeignKey(
        Recording, null=True, blank=True, on_delete=models.PROTECT, related_name="exceptions"
    )
    station = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(help_text="the month of the call, or of the recording when there is no call")
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    close_note = models.TextField(blank=True)

    objects = RecordingExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["severity", "raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "call"], condition=models.Q(call__isnull=False), name="one_exception_per_call"
            ),
            models.UniqueConstraint(
                fields=["kind", "recording"],
                condition=models.Q(call__isnull=True),
                name="one_exception_per_recording",
            ),
            models.CheckConstraint(
                condition=models.Q(call__isnull=False) | models.Q(recording__isnull=False),
                name="exception_names_a_call_or_recording",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(close_reason=""),
                name="closed_exception_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "severity"], name="operations_exception_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.call or self.recording}"

    @property
    def access_unit(self):
        return self.station

    @property
    def subject(self) -> str:
        return str(self.call or self.recording)

    @property
    def severity_member(self) -> RecordingException.Severity:
        return self.Severity(self.severity)


@tag_colours({"none": "green", "low": "yellow", "moderate": "orange", "severe": "red", "death": "red"})
class HarmGrade(models.TextChoices):
    """The national scale for harm from a delay (AACE 2021, STANDARDS.md §1)."""

    NONE = "none", "No harm"
    LOW = "low", "Low harm"
    MODERATE = "moderate", "Moderate harm"
    SEVERE = "severe", "Severe harm"
    DEATH = "death", "Death"


# Harm at these grades goes to the trust's incident process as well.
MODERATE_OR_WORSE = frozenset({HarmGrade.MODERATE, HarmGrade.SEVERE, HarmGrade.DEATH})


@tag_colours({"open": "blue", "completed": "green"})
class ReviewStatus(models.TextChoices):
    OPEN = "open", "To review"
    COMPLETED = "completed", "Completed"


class HarmReviewQuerySet(models.QuerySet):
    def for_scope(self, scope) -> HarmReviewQuerySet:
        """Reviews of incidents at the stations a scope covers."""
        return self.filter(incident__station_id__in=scope.station_ids)

    def open(self) -> HarmReviewQuerySet:
        return self.filter(status=ReviewStatus.OPEN)

    def overdue(self, today) -> HarmReviewQuerySet:
        """Open reviews whose due date has passed."""
        return self.open().filter(due_on__lt=today)


class HarmReview(BaseModel):
    """The review of one long wait: what happened to the patient, the harm it did on the national scale,
    the panel's decision and the learning. Moderate harm or worse is raised as a patient safety concern,
    whose reference is kept here."""

    incident = models.OneToOneField(CadIncident, on_delete=models.PROTECT, related_name="harm_review")
    reason = models.CharField(max_length=200, help_text="the threshold the response went over")
    threshold_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="none: flagged as a long wait by the CAD, over no threshold"
    )
    opened_at = models.DateTimeField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    patient_outcome = EncryptedTextField(blank=True)
    harm_grade = models.CharField(max_length=12, choices=HarmGrade.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    panel_decision = EncryptedTextField(blank=True)
    learning = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    concern_reference = models.CharField(
        max_length=40, blank=True, help_text="the patient safety concern raised for moderate harm or worse"
    )
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="when it was escalated as overdue")

    objects = HarmReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "opened_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="operations_review_due")]

    def __str__(self) -> str:
        return f"Harm review of incident {self.incident.incident_id}"

    @property
    def status_member(self) -> ReviewStatus:
        return ReviewStatus(self.status)

    @property
    def grade_member(self) -> HarmGrade | None:
        return HarmGrade(self.harm_grade) if self.harm_grade else None

    @property
    def access_unit(self):
        return self.incident.station
