"""Operations: incidents from the dispatch system (CAD), each with its events and the response it counts.

An incident's events are kept as the CAD gives them, one time per kind of event (blank when it did not
happen), so its timeline is read straight from the row. What the ARP clock makes of them (the month, the
category it counts under, the response seconds, and the version of the clock rules) is worked out by
`candour.operations.arp` when the incident is imported, so every page reads the same answer.
"""

from __future__ import annotations

from django.db import models

from candour.core.base import BaseModel


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
    retriaged_at = models.DateTimeField(null=True, blank=True)
    retriaged_to = models.CharField(max_length=2, choices=CodedCategory.choices, blank=True)
    call_connected = models.DateTimeField()
    chief_complaint_identified = models.DateTimeField(null=True, blank=True)
    first_assigned = models.DateTimeField(null=True, blank=True)
    first_on_scene = models.DateTimeField(null=True, blank=True)
    first_transport_on_scene = models.DateTimeField(null=True, blank=True)
    conveyed = models.BooleanField()
    destination_hospital = models.CharField(max_length=120, blank=True)
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
