"""The maintenance history feed: the trust's EBME system's (or spreadsheet's) record of services, tests and
examinations, a row per asset, kind of maintenance and day.

Every row is checked by the rules `record_result` applies (`services.result_problems`): a tag not on the
register, an asset without that kind of schedule, a day in the future, a fail without its defects, a danger
to people reported by anything but a failed LOLER examination, a next examination later than LOLER allows.
Rows are matched on (asset, kind, day), so the same file twice changes nothing and an updated file changes
only the rows that differ. Once they are written, in the same transaction, each schedule touched moves on
from its newest pass and a LOLER danger defect quarantines its asset (`services.apply_recorded_results`),
so the due dates and quarantines are what recording the same results one by one would have made them.

Importers are a writer layer beside services (ADR 0023): checked whole outside any transaction, then written
with their audit event in one short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    PreparedUpsert,
    Progress,
    Row,
    RowSource,
    WriteCounts,
    day_date,
    feeds,
    import_audited,
    prepare_upsert,
    quoted,
    text,
    yes_no,
)
from candour.fleet import services
from candour.fleet.importers.cells import choice, whole_number
from candour.fleet.models import (
    Asset,
    LolerInterval,
    MaintenanceKind,
    MaintenanceResult,
    MaintenanceSchedule,
    Outcome,
    in_a_sentence,
)
from candour.people.access import Scope
from candour.people.models import User

FEED = "maintenance history"
SYSTEM = "maintenance history import"
RESULT_KEY = ("schedule_id", "done_on")


def _text(field_name: str):
    field = MaintenanceResult._meta.get_field(field_name)
    return text(max_length=field.max_length or 4000)


class MaintenanceHistoryImporter(Importer):
    """Results from the EBME system, for the assets in `scope` (the whole register when None)."""

    key = ("asset_tag", "kind", "done_on")

    def __init__(self, scope: Scope | None = None, by: User | None = None):
        registered = Asset.objects.all() if scope is None else Asset.objects.for_scope(scope)
        # The register and its schedules are read once (tens of thousands of small rows), not per row.
        self.assets = {
            asset.asset_tag: asset
            for asset in registered.only("pk", "asset_tag", "kind", "loler_category", "usage_unit")
        }
        self.schedules = {
            (schedule.asset_id, schedule.kind): schedule
            for schedule in MaintenanceSchedule.objects.filter(asset__in=registered).only(
                "pk", "asset_id", "kind"
            )
        }
        self.loler_limits = dict(LolerInterval.objects.values_list("category", "months"))
        self.whose = "on the register you look after" if scope is not None else "on the register"
        self.by = by
        self.columns = (
            Column("asset_tag", self._asset_tag),
            Column("kind", choice(MaintenanceKind)),
            # Days are judged by the service's rules (a day done in the future is refused there).
            Column("done_on", day_date),
            Column("outcome", choice(Outcome)),
            Column("usage_reading", whole_number, optional=True),
            Column("advisories", _text("advisories"), optional=True),
            Column("defects", _text("defects"), optional=True),
            Column("danger_to_people", yes_no, optional=True),
            Column("next_due_on", day_date, optional=True),
            Column("examiner", _text("examiner"), optional=True),
        )
        self.touched: set[int] = set()
        self.applied = services.HistoryApplied()

    def _asset_tag(self, value: str) -> str:
        if value not in self.assets:
            raise Invalid(f"no asset {self.whose} has the tag {quoted(value)}")
        return value

    def check_row(self, row: Row) -> None:
        values = row.values
        asset = self.assets[values["asset_tag"]]
        schedule = self.schedules.get((asset.pk, values["kind"]))
        if schedule is None:
            kind = in_a_sentence(values["kind"])
            raise Invalid(f"{asset.asset_tag} has no {kind} schedule on the register", column="kind")
        problems = services.result_problems(asset, schedule, _result(values), loler_limits=self.loler_limits)
        if problems:
            # Every problem of the row in one message, blaming the column of the first.
            raise Invalid("; ".join(problems.values()), column=next(iter(problems)) or "")

    def prepare_batch(self, rows: list[Row]) -> PreparedUpsert:
        records = [self._record(row.values) for row in rows]
        prepared = prepare_upsert(MaintenanceResult, key=RESULT_KEY, records=records, note=("schedule_id",))
        self.touched.update(schedule_id for (schedule_id,) in prepared.noted)
        return prepared

    def write_batch(self, prepared: PreparedUpsert) -> WriteCounts:
        return prepared.write()

    def after_write(self) -> WriteCounts:
        self.applied = services.apply_recorded_results(
            by=self.by, schedule_ids=self.touched, system="" if self.by else SYSTEM
        )
        return WriteCounts()

    def _record(self, values: dict) -> dict:
        asset = self.assets[values["asset_tag"]]
        return {
            "schedule_id": self.schedules[(asset.pk, values["kind"])].pk,
            "done_on": values["done_on"],
            "asset_id": asset.pk,
            "outcome": values["outcome"],
            "usage_reading": values["usage_reading"],
            "advisories": values["advisories"] or "",
            "defects": values["defects"] or "",
            "danger_to_people": bool(values["danger_to_people"]),
            "next_due_on": values["next_due_on"],
            "examiner": values["examiner"] or "",
        }


def _result(values: dict) -> services.Result:
    return services.Result(
        asset_tag=values["asset_tag"],
        kind=values["kind"],
        done_on=values["done_on"],
        outcome=values["outcome"],
        usage_reading=values["usage_reading"],
        advisories=values["advisories"] or "",
        defects=values["defects"] or "",
        danger_to_people=bool(values["danger_to_people"]),
        next_due_on=values["next_due_on"],
        examiner=values["examiner"] or "",
    )


def import_maintenance_history(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    scope: Scope | None = None,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in maintenance results, all or nothing, with the due dates and quarantines they make; `by` is
    None when a system job imports them. Call it outside any transaction: it checks first, then writes in
    one of its own. `then(result)` runs in the transaction that writes (or after checking, when nothing
    is written)."""
    importer = MaintenanceHistoryImporter(scope, by)
    return import_audited(
        importer,
        file,
        feed=FEED,
        by=by,
        progress=progress,
        then=then,
        details=lambda: {
            "schedules_moved_on": importer.applied.schedules_moved,
            "quarantined": importer.applied.quarantined,
            "released": importer.applied.released,
        },
    )


def _import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
    return import_maintenance_history(by=None, file=source, progress=progress, then=then)


COLUMNS = (
    "asset_tag",
    "kind",
    "done_on",
    "outcome",
    "usage_reading",
    "advisories",
    "defects",
    "danger_to_people",
    "next_due_on",
    "examiner",
)

# Other systems (an EBME system) send this feed as rows through the integration API (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="maintenance_history",
        title="Maintenance history",
        columns=COLUMNS,
        example={
            "asset_tag": "STR-0042",
            "kind": "loler",
            "done_on": "2026-03-02",
            "outcome": "fail",
            "usage_reading": "",
            "advisories": "",
            "defects": "Cracked weld on the lifting arm",
            "danger_to_people": "Y",
            "next_due_on": "",
            "examiner": "A. Examiner, Safe Lift Ltd",
        },
        run=_import_sent_rows,
    )
)
