"""Bulk writes by natural key: create what is new, update what differs, leave identical rows untouched.

`upsert` reads and writes at once, for small feeds. `prepare_upsert` does the reading and all of the work of
preparing values beforehand, outside any transaction, so that `PreparedUpsert.write` is the statements and
nothing else: a large feed then holds the write lock only to write (ADR 0023).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, models, router
from django.db.models.expressions import RawSQL
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone


@dataclass
class WriteCounts:
    """How many rows a write created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: WriteCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


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


@dataclass
class PreparedUpsert:
    """One batch's writes with every value already prepared for the database: the rows to insert, and the
    changed rows to update by primary key. Plain values only, so it can be kept on disk until written."""

    database: str
    insert_sql: str = ""
    inserts: list[tuple] = field(default_factory=list)
    update_sql: str = ""
    updates: list[tuple] = field(default_factory=list)
    unchanged: int = 0
    # The `note` fields of every record that will be created or updated, for the importer's own use.
    noted: list[tuple] = field(default_factory=list)

    @property
    def counts(self) -> WriteCounts:
        return WriteCounts(len(self.inserts), len(self.updates), self.unchanged)

    def write(self) -> WriteCounts:
        """Run the statements. A row inserted meanwhile with the same key, or an updated row deleted
        meanwhile, means the batch was prepared against rows that are no longer there: StoredRowsChanged."""
        from candour.core.importing.framework import StoredRowsChanged  # the framework imports this module

        with connections[self.database].cursor() as cursor:
            if self.inserts:
                try:
                    cursor.executemany(self.insert_sql, self.inserts)
                except IntegrityError as error:
                    raise StoredRowsChanged(str(error)) from error
            if self.updates:
                cursor.executemany(self.update_sql, self.updates)
                if cursor.rowcount != len(self.updates):
                    raise StoredRowsChanged(f"{len(self.updates) - cursor.rowcount} rows to update were gone")
        return self.counts


def prepare_upsert(
    model: type[models.Model],
    *,
    key: Sequence[str],
    records: Sequence[dict[str, Any]],
    note: Sequence[str] = (),
) -> PreparedUpsert:
    """Prepare one batch of records (field attname → value, all with the same fields) matched on `key`, as
    `upsert` would write them: defaults and automatic timestamps set, values as the database stores them.
    `note` names fields to list for every record that will change (say, whose compliance to recompute)."""
    database = router.db_for_write(model)
    if not records:
        return PreparedUpsert(database)
    connection = connections[database]
    quote = connection.ops.quote_name
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [name for name in records[0] if name not in key]
    stamped = [field for field in meta.concrete_fields if getattr(field, "auto_now", False)]
    # The database numbers new rows itself.
    inserted = [field for field in meta.concrete_fields if not isinstance(field, AutoFieldMixin)]
    changed = [by_attname[name] for name in fields]
    changed += [field for field in stamped if field.attname not in fields]
    placeholders = ", ".join(["%s"] * len(inserted))
    prepared = PreparedUpsert(
        database,
        # Only quoted schema names and placeholders go into the text; every value travels as a parameter.
        insert_sql=(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in inserted)}) "  # noqa: S608
            f"VALUES ({placeholders})"
        ),
        update_sql=(
            f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in changed)} "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s"
        ),
    )
    stored = {
        tuple(getattr(instance, name) for name in key): instance
        for instance in _matching(model, key, records).only(*key, *fields)
    }
    # A field that prepares its value from the row (the encrypted text field binds its ciphertext to the
    # row in `pre_save`) needs the row as an instance: such a model's new rows are built one by one.
    fill = _Filler(inserted, given=set(records[0])) if _fillable(inserted) else _FromInstance(model, inserted)
    to_insert = [_converter(field, connection) for field in inserted]
    to_update = [_converter(field, connection) for field in changed]
    for record in records:
        instance = stored.get(tuple(record[name] for name in key))
        if instance is None or any(getattr(instance, name) != record[name] for name in fields):
            prepared.noted.append(tuple(record[name] for name in note))
        if instance is None:
            values = fill.values(record)
            prepared.inserts.append(
                tuple(convert(value) for convert, value in zip(to_insert, values, strict=True))
            )
        elif any(getattr(instance, name) != record[name] for name in fields):
            for name in fields:
                setattr(instance, name, record[name])
            values = [field.pre_save(instance, False) for field in changed]
            prepared.updates.append(
                (*(convert(value) for convert, value in zip(to_update, values, strict=True)), instance.pk)
            )
        else:
            prepared.unchanged += 1
    return prepared


_PLAIN_PRE_SAVE = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


def _fillable(fields) -> bool:
    """Whether every field's value for a new row is its given value, its default, or a timestamp."""
    return all(type(field).pre_save in _PLAIN_PRE_SAVE for field in fields)


class _FromInstance:
    """Each inserted field's value for a new row by building the instance and asking each field."""

    def __init__(self, model, fields):
        self.model, self.fields = model, fields

    def values(self, record: dict[str, Any]) -> list[Any]:
        new = self.model(**record)
        return [field.pre_save(new, True) for field in self.fields]


class _Filler:
    """Each inserted field's value for a new row, as `Model(**record)` then `pre_save` would give it, without
    building an instance per row: given values as they are, automatic timestamps at one moment for the batch,
    a constant default worked out once, and a callable one (a new UUID) called for each row."""

    def __init__(self, fields, *, given: set[str]):
        now = timezone.now()
        self.sources = []
        for column in fields:
            if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
                self.sources.append(("constant", now))
            elif column.attname in given:
                self.sources.append(("given", column.attname))
            elif column.name in given:  # a related object given rather than its key
                self.sources.append(("related", column.name))
            elif column.has_default() and callable(column.default):
                self.sources.append(("call", column.get_default))
            else:
                self.sources.append(("constant", column.get_default()))

    def values(self, record: dict[str, Any]) -> list[Any]:
        values = []
        for how, source in self.sources:
            if how == "given":
                values.append(record[source])
            elif how == "related":
                values.append(None if record[source] is None else record[source].pk)
            elif how == "call":
                values.append(source())
            else:
                values.append(source)
        return values


# Fields whose Python value of one of these types is the value the database takes: Django's preparation
# would give it back unchanged, at a cost that dominated big imports. Exact classes only: a subclass (the
# encrypted text field) prepares its values its own way.
_PLAIN_FIELDS = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.EmailField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.ForeignKey: (int,),
}


def _converter(field: models.Field, connection):
    """A function from a field's Python value to the value the database stores, as `get_db_prep_save`."""
    prepare = field.get_db_prep_save
    plain = _PLAIN_FIELDS.get(type(field))
    if type(field) is models.ForeignKey and not isinstance(
        field.target_field, models.AutoField | models.BigAutoField
    ):
        plain = None  # a key to a non-numeric column prepares as that column does
    if plain is not None:
        return lambda value: value if value is None or type(value) in plain else prepare(value, connection)
    if type(field) is models.DateTimeField:
        adapt = _aware_datetime_adapter(connection)
        # An aware datetime needs only the backend's adaptation; anything else is prepared the long way
        # (a naive one is warned about and made aware there).
        return lambda value: (
            None
            if value is None
            else adapt(value)
            if type(value) is dt.datetime and value.tzinfo is not None
            else prepare(value, connection)
        )
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda value: adapt(value) if type(value) is dt.date else prepare(value, connection)
    return lambda value: prepare(value, connection)


def _aware_datetime_adapter(connection):
    """How the backend stores an aware datetime. SQLite keeps the text of the time in the connection's zone,
    which Django makes with checks and a conversion per value, a tenth of a big import's time; in UTC (the
    zone unless the database settings name another) the same text comes straight from the value."""
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
        return lambda value: str(value.astimezone(dt.UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value


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
