"""Bulk writes by natural key: create what is new, update what differs, leave identical rows untouched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class WriteCounts:
    """How many rows a write created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Upserted:
    """The instances a call to `upsert` created, updated and left unchanged."""

    created: list[models.Model] = field(default_factory=list)
    updated: list[models.Model] = field(default_factory=list)
    unchanged: list[models.Model] = field(default_factory=list)

    @property
    def counts(self) -> WriteCounts:
        return WriteCounts(len(self.created), len(self.updated), len(self.unchanged))


def upsert(model: type[models.Model], *, key: Sequence[str], records: Sequence[dict[str, Any]]) -> Upserted:
    """Write one batch of records (field attname → value, all with the same fields) matched on `key`.

    One read and two bulk writes, so pass batches of a few thousand records, not one row at a time. Put the
    most selective column first in `key` (the owner, such as person_id): the read filters on it alone.
    """
    if not records:
        return Upserted()
    fields = [name for name in records[0] if name not in key]
    # Filter on the one key column with the most distinct values in this batch and match the rest here:
    # an IN per key column lets the database probe every combination of them (millions for a batch).
    values = {name: {record[name] for record in records} for name in key}
    narrowest = max(key, key=lambda name: len(values[name]))
    wanted = {tuple(record[name] for name in key) for record in records}
    stored = {
        identity: instance
        for instance in model._default_manager.filter(**{f"{narrowest}__in": values[narrowest]}).only(
            *key, *fields
        )
        if (identity := tuple(getattr(instance, name) for name in key)) in wanted
    }
    outcome = Upserted()
    for record in records:
        instance = stored.get(tuple(record[name] for name in key))
        if instance is None:
            outcome.created.append(model(**record))
        elif any(getattr(instance, name) != record[name] for name in fields):
            for name in fields:
                setattr(instance, name, record[name])
            outcome.updated.append(instance)
        else:
            outcome.unchanged.append(instance)
    model._default_manager.bulk_create(outcome.created)
    if outcome.updated:
        model._default_manager.bulk_update(outcome.updated, [*fields, *_touch(model, outcome.updated)])
    return outcome


def _touch(model: type[models.Model], instances: list[models.Model]) -> list[str]:
    # bulk_update skips the auto_now fields (updated_at) that save() would set, so set them here.
    stamped = [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    for instance in instances:
        for stamp in stamped:
            stamp.pre_save(instance, add=False)
    return [stamp.attname for stamp in stamped]
