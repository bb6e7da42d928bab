"""Patterns of low-level concerns about one person, for the safeguarding lead: waiting for review, or
reviewed, each with the concerns about that person the lead may open."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from candour.people.access import scope_of
from candour.people.models import User
from candour.speakup.access import WORK_SAFEGUARDING, cases_for
from candour.speakup.models import PatternFlag


@dataclass(frozen=True)
class CaseLink:
    concern_id: uuid.UUID
    reference: str
    received_on: dt.date


@dataclass(frozen=True)
class PatternRow:
    person_id: uuid.UUID
    person_name: str
    station: str
    concern_count: int
    window_days: int
    raised_on: dt.date
    reviewed_on: dt.date | None
    reviewed_by: str
    concerns: list[CaseLink]

    @property
    def window_months(self) -> int:
        return round(self.window_days * 12 / 365)


def in_scope(user: User, *, reviewed: bool = False) -> QuerySet[PatternFlag]:
    """Flags about people in the lead's area, never about the lead or someone they manage: waiting for
    review, or (with `reviewed`) those reviewed."""
    scope = scope_of(user, WORK_SAFEGUARDING)
    flags = PatternFlag.objects.filter(
        reviewed_on__isnull=not reviewed, subject_person__station_id__in=scope.station_ids
    )
    if user.person_id:
        flags = flags.exclude(
            Q(subject_person_id=user.person_id) | Q(subject_person__line_manager_id=user.person_id)
        )
    return flags


def pattern_rows(user: User, *, reviewed: bool = False) -> list[PatternRow]:
    """The patterns, newest first, each with the concerns about that person this user may open."""
    flags = list(
        in_scope(user, reviewed=reviewed)
        .select_related("subject_person__station", "reviewed_by__person")
        .order_by("-reviewed_on" if reviewed else "-raised_on", "-raised_on", "pk")
    )
    about = (
        cases_for(user)
        .filter(subject_person_id__in=[flag.subject_person_id for flag in flags])
        .order_by("-received_on", "reference")
        .values_list("subject_person_id", "id", "reference", "received_on")
    )
    links: dict[int, list[CaseLink]] = {}
    for person_id, concern_id, reference, received_on in about:
        links.setdefault(person_id, []).append(CaseLink(concern_id, reference, received_on))
    return [
        PatternRow(
            person_id=flag.subject_person.public_id,
            person_name=flag.subject_person.full_name,
            station=flag.subject_person.station.name,
            concern_count=flag.concern_count,
            window_days=flag.window_days,
            raised_on=flag.raised_on,
            reviewed_on=flag.reviewed_on,
            reviewed_by=flag.reviewed_by.display_name if flag.reviewed_by else "",
            concerns=links.get(flag.subject_person_id, []),
        )
        for flag in flags
    ]


def to_review(user: User, person_id) -> PatternFlag | None:
    return in_scope(user).filter(subject_person__public_id=person_id).first()
