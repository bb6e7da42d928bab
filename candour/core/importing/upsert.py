"""Bulk writes by natural key: create what is new, update what differs, leave identical rows untouched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from django.db.models.expressions import RawSQL


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

    One read and two bulk writes, so pass batches of a few thousand records, not one row at a time.
    """
    if not records:
        return Upserted()
    fields = [name for name in records[0] if name not in key]
    stored = {
        tuple(getattr(instance, name) for name in key): instance
        for instance in _matching(model, key, records).only(*key, *fields)
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


def _matching(model: type[models.Model], key: Sequence[str], records: Sequence[dict[str, Any]]):
    """The stored rows whose key is one of the records' keys. A composite key is looked up as row values,
    `(a, b, c) IN (VALUES ...)`, one index probe per record: an IN per column would let the database try
    every combination of the columns' values, millions for one batch."""
    manager = model._default_manager
    if len(key) == 1:
        return manager.filter(**{f"{key[0]}__in": {record[key[0]] for record in records}})
    connection = connections[manager.db]
    quote = connection.ops.quote_name
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in key]
    keys = list({tuple(record[name] for name in key) for record in records})
    row = "(" + ", ".join(["%s"] * len(key)) + ")"
    # Only quoted schema names and placeholders go into the text; every value travels as a parameter.
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (
        f"SELECT {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"WHERE ({columns}) IN (VALUES {', '.join([row] * len(keys))})"
    )
    params = [
        field.get_db_prep_value(value, connection)
        for values in keys
        for field, value in zip(fields, values, strict=True)
    ]
    return manager.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - see above


def _touch(model: type[models.Model], instances: list[models.Model]) -> list[str]:
    # bulk_update skips the auto_now fields (updated_at) that save() would set, so set them here.
    stamped = [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    for instance in instances:
        for stamp in stamped:
            stamp.pre_save(instance, add=False)
    return [stamp.attname for stamp in stamped]
