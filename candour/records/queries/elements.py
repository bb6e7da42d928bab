"""The mandatory element sets, every version of each record type, for the page that shows and edits them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from candour.core.tags import tag_colours
from candour.records.models import ElementSet


@tag_colours({"in_force": "green", "future": "blue", "replaced": "grey"})
class VersionState(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    FUTURE = "future", "Not yet in force"
    REPLACED = "replaced", "Replaced"


@dataclass(frozen=True)
class ElementSetVersion:
    element_set: ElementSet
    state: VersionState


@dataclass(frozen=True)
class RecordType:
    code: str
    versions: list[ElementSetVersion]

    @property
    def title(self) -> str:
        return self.code.replace("_", " ").capitalize()

    @property
    def latest(self) -> ElementSet:
        return self.versions[0].element_set


def record_types(today: dt.date | None = None) -> list[RecordType]:
    """Each record type with its versions, newest first, each marked in force, not yet, or replaced."""
    today = today or timezone.localdate()
    by_type: dict[str, list[ElementSet]] = {}
    for element_set in ElementSet.objects.select_related("published_by").order_by(
        "record_type", "-effective_from", "-version"
    ):
        by_type.setdefault(element_set.record_type, []).append(element_set)
    found = []
    for code, sets in by_type.items():
        current = next((each for each in sets if each.effective_from <= today), None)
        versions = [
            ElementSetVersion(
                each,
                VersionState.IN_FORCE
                if each == current
                else VersionState.FUTURE
                if each.effective_from > today
                else VersionState.REPLACED,
            )
            for each in sets
        ]
        found.append(RecordType(code, versions))
    return found


def element_set(public_id) -> ElementSet | None:
    """One version of a set, the starting point for the next; the sets are the trust's own, seen by all."""
    return ElementSet.objects.filter(public_id=public_id).first()
