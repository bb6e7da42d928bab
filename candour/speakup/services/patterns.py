"""Patterns of low-level concerns about one person, flagged for the safeguarding lead."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import can
from candour.people.models import Person, User
from candour.speakup.access import WORK_SAFEGUARDING
from candour.speakup.models import (
    Concern,
    Kind,
    PatternFlag,
)


def check_for_pattern(*, subject_person: Person) -> PatternFlag | None:
    """Flag a pattern when low-level concerns about one person reach the threshold within the window."""
    today = timezone.localdate()
    window_days = round(settings.CANDOUR_LOW_LEVEL_PATTERN_MONTHS * 365 / 12)
    since = today - dt.timedelta(days=window_days)
    count = Concern.objects.filter(
        subject_person=subject_person, kind=Kind.LOW_LEVEL, received_on__gte=since
    ).count()
    if count < settings.CANDOUR_LOW_LEVEL_PATTERN_COUNT:
        return None
    flag = PatternFlag.objects.filter(subject_person=subject_person, reviewed_on__isnull=True).first()
    if flag:
        flag.concern_count = count
        flag.save(update_fields=["concern_count"])
        return flag
    flag = PatternFlag.objects.create(
        subject_person=subject_person, raised_on=today, concern_count=count, window_days=window_days
    )
    audit.record(
        action="pattern_flagged", system="pattern check", target=subject_person, changes={"count": count}
    )
    return flag


@transaction.atomic
def review_pattern(*, by: User, flag: PatternFlag) -> PatternFlag:
    """The safeguarding lead has looked at the pattern."""
    subject = flag.subject_person
    if not can(by, WORK_SAFEGUARDING, subject) or getattr(by, "person_id", None) in (
        subject.pk,
        subject.line_manager_id,
    ):
        raise Refused("Only a safeguarding lead for this person's area, with no conflict, can review this.")
    flag.reviewed_on, flag.reviewed_by = timezone.localdate(), by
    flag.save(update_fields=["reviewed_on", "reviewed_by"])
    audit.record(action="pattern_reviewed", actor=by, target=flag.subject_person)
    return flag
