"""The asset register feed: the trust's spreadsheet or EBME system's list of vehicles, medical devices and
lifting equipment, a row per asset, keyed by its asset tag, with the schedules' intervals where the file
gives them.

A vehicle row names its base station, call sign, registration and type; an equipment row names the vehicle
it is on (that vehicle's asset tag, on the register or in the same file) or the station whose store keeps
it. The register's rules are the services' (`loler_category_problem`, `loler_interval_problem`,
`first_due`): lifting equipment has a LOLER category and gets a LOLER schedule at the reference interval
unless the file gives a shorter one, a longer one is refused, only vehicles have a service and MOT. A call
sign or registration is one vehicle's, and an asset's kind cannot change. Each new schedule is first due one
interval after the asset was commissioned; a changed interval moves its due date from the last service.

The same file twice changes nothing; an updated file changes only the assets and schedules that differ.
Schedules the file no longer gives are kept (their history is the asset's). Odometer readings have their own
feed, so the register never moves a reading. The register is thousands of rows, not millions, so it is
written at the end in one pass (vehicles, then the equipment on them, then the schedules), inside the
import's one short transaction (ADR 0023).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import BinaryIO

from django.utils import timezone

from candour.core.importing import (
    Column,
    CsvSource,
    Importer,
    ImportResult,
    Invalid,
    Progress,
    Row,
    RowError,
    RowSource,
    WriteCounts,
    feeds,
    import_audited,
    quoted,
    text,
    upsert,
)
from candour.fleet import services
from candour.fleet.importers.cells import choice, months, past_day, whole_number
from candour.fleet.importers.odometer import registration
from candour.fleet.models import (
    VEHICLE_ONLY_KINDS,
    Asset,
    AssetKind,
    LolerCategory,
    LolerInterval,
    MaintenanceKind,
    MaintenanceSchedule,
    SafetyNotice,
    UsageUnit,
    Vehicle,
    VehicleType,
    in_a_sentence,
)
from candour.people.models import OrgUnit, User

FEED = "asset register"
# Each kind of maintenance and the columns that give its interval: (months, usage).
INTERVAL_COLUMNS = {
    MaintenanceKind.PLANNED_PREVENTIVE: ("ppm_months", None),
    MaintenanceKind.CALIBRATION: ("calibration_months", None),
    MaintenanceKind.ELECTRICAL_SAFETY: ("electrical_safety_months", None),
    MaintenanceKind.LOLER: ("loler_months", None),
    MaintenanceKind.VEHICLE_SERVICE: ("service_months", "service_miles"),
    MaintenanceKind.MOT: ("mot_months", None),
}
VEHICLE_COLUMNS = ("call_sign", "registration", "vehicle_type")
COLUMNS = (
    "asset_tag",
    "kind",
    "make",
    "model",
    "serial_number",
    "station_code",
    "on_vehicle",
    *VEHICLE_COLUMNS,
    "loler_category",
    "commissioned_on",
    "ppm_months",
    "calibration_months",
    "electrical_safety_months",
    "loler_months",
    "service_months",
    "service_miles",
    "mot_months",
)


def _text(model, field_name: str):
    return text(max_length=model._meta.get_field(field_name).max_length)


class AssetRegisterImporter(Importer):
    """Creates and updates the register's assets, vehicles and schedules from the trust's list."""

    key = ("asset_tag",)

    def __init__(self, by: User | None = None):
        self.by = by
        # Reference data and the register's identities are small: read once, not per row.
        self.stations = dict(OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION).values_list("code", "pk"))
        self.loler_limits = dict(LolerInterval.objects.values_list("category", "months"))
        self.stored_kinds = dict(Asset.objects.values_list("asset_tag", "kind"))
        stored_vehicles = Vehicle.objects.values_list(
            "asset__asset_tag", "call_sign", "registration", "station_id"
        )
        self.stored_vehicles = {tag: station for tag, _, _, station in stored_vehicles}
        self.call_signs = {call_sign: tag for tag, call_sign, _, _ in stored_vehicles}
        self.registrations = {plate: tag for tag, _, plate, _ in stored_vehicles}
        self.columns = (
            Column("asset_tag", _text(Asset, "asset_tag")),
            Column("kind", choice(AssetKind)),
            Column("make", _text(Asset, "make")),
            Column("model", _text(Asset, "model")),
            Column("serial_number", _text(Asset, "serial_number")),
            Column("station_code", self._station, optional=True),
            Column("on_vehicle", _text(Asset, "asset_tag"), optional=True),
            Column("call_sign", _text(Vehicle, "call_sign"), optional=True),
            Column("registration", _registration, optional=True),
            Column("vehicle_type", choice(VehicleType), optional=True),
            Column("loler_category", choice(LolerCategory), optional=True),
            Column("commissioned_on", past_day, optional=True),
            *(
                Column(name, whole_number if name == "service_miles" else months, optional=True)
                for pair in INTERVAL_COLUMNS.values()
                for name in pair
                if name
            ),
        )
        # What check_file needs: the vehicles in the file, and where the file puts equipment on vehicles.
        self.file_vehicles: dict[str, int] = {}
        self.file_call_signs: dict[str, int] = {}
        self.file_registrations: dict[str, int] = {}
        self.placements: list[tuple[int, str, int | None]] = []
        self.pending: list[dict] = []

    def _station(self, code: str) -> int:
        if code not in self.stations:
            raise Invalid(f"no station has the code {quoted(code)}")
        return self.stations[code]

    def check_row(self, row: Row) -> None:
        values, tag, kind = row.values, row.values["asset_tag"], row.values["kind"]
        stored_kind = self.stored_kinds.get(tag)
        if stored_kind and stored_kind != kind:
            raise Invalid(
                f"{tag} is on the register as {AssetKind(stored_kind).label.lower()}: an asset's kind cannot "
                "change, so give the new one its own tag",
                column="kind",
            )
        if kind == AssetKind.VEHICLE:
            self._check_vehicle(row)
        else:
            self._check_equipment(row)
        problem = services.loler_category_problem(kind, values["loler_category"] or "")
        if problem:
            raise Invalid(problem, column="loler_category")
        schedules = self._schedules(values)
        for schedule_kind, (interval, _) in schedules.items():
            if schedule_kind in VEHICLE_ONLY_KINDS and kind != AssetKind.VEHICLE:
                column = INTERVAL_COLUMNS[schedule_kind][0 if interval else 1]
                raise Invalid(f"only a vehicle has a {in_a_sentence(schedule_kind)} schedule", column=column)
            if schedule_kind == MaintenanceKind.LOLER and kind != AssetKind.LIFTING_EQUIPMENT:
                raise Invalid(
                    "only lifting equipment has a LOLER thorough examination", column="loler_months"
                )
            if schedule_kind == MaintenanceKind.LOLER:
                category = values["loler_category"]
                problem = services.loler_interval_problem(
                    category, interval, allowed=self.loler_limits[category]
                )
                if problem:
                    raise Invalid(problem, column="loler_months")
        if schedules and values["commissioned_on"] is None:
            raise Invalid(
                "enter the day it was commissioned: its schedules are first due one interval after it",
                column="commissioned_on",
            )

    def _check_vehicle(self, row: Row) -> None:
        values, tag = row.values, row.values["asset_tag"]
        for name in VEHICLE_COLUMNS:
            if not values[name]:
                raise Invalid("a vehicle needs its call sign, registration and vehicle type", column=name)
        if values["station_code"] is None:
            raise Invalid("enter the station the vehicle is based at", column="station_code")
        if values["on_vehicle"]:
            raise Invalid("a vehicle is not on another vehicle: leave it blank", column="on_vehicle")
        for name, stored, in_file in (
            ("call_sign", self.call_signs, self.file_call_signs),
            ("registration", self.registrations, self.file_registrations),
        ):
            value = values[name]
            if stored.get(value, tag) != tag:
                raise Invalid(
                    f"{quoted(value)} is the {name.replace('_', ' ')} of {stored[value]}", column=name
                )
            if value in in_file:
                raise Invalid(f"{quoted(value)} is also on line {in_file[value]}", column=name)
            in_file[value] = row.line
        self.file_vehicles[tag] = values["station_code"]

    def _check_equipment(self, row: Row) -> None:
        values = row.values
        for name in VEHICLE_COLUMNS:
            if values[name]:
                raise Invalid("only a vehicle has a call sign, registration or vehicle type", column=name)
        if not values["on_vehicle"] and values["station_code"] is None:
            raise Invalid(
                "say where it is: the asset tag of the vehicle it is on, or the station whose store keeps it",
                column="station_code",
            )
        if values["on_vehicle"]:
            self.placements.append((row.line, values["on_vehicle"], values["station_code"]))

    def _schedules(self, values: dict) -> dict[str, tuple[int | None, int | None]]:
        """The schedules a row gives: kind → (months, usage). Lifting equipment always has its LOLER."""
        found = {}
        for kind, (months_column, usage_column) in INTERVAL_COLUMNS.items():
            interval = values[months_column]
            usage = values[usage_column] if usage_column else None
            if kind == MaintenanceKind.LOLER and values["kind"] == AssetKind.LIFTING_EQUIPMENT:
                interval = interval or self.loler_limits.get(values["loler_category"])
            if interval or usage:
                found[kind] = (interval, usage)
        return found

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        for line, vehicle_tag, station in self.placements:
            base = self.file_vehicles.get(vehicle_tag, self.stored_vehicles.get(vehicle_tag))
            if base is None:
                yield RowError(
                    line,
                    "on_vehicle",
                    f"no vehicle on the register or in this file has the tag {quoted(vehicle_tag)}",
                )
            elif station is not None and station != base:
                yield RowError(
                    line,
                    "station_code",
                    f"equipment on {vehicle_tag} belongs to its vehicle's station: leave this blank or give "
                    "that one",
                )

    def prepare_batch(self, rows: list[Row]) -> list[dict]:
        return [{**row.values, "schedules": self._schedules(row.values)} for row in rows]

    def write_batch(self, prepared: list[dict]) -> WriteCounts:
        # Equipment may be on a vehicle later in the file: everything is written together at the end.
        self.pending += prepared
        return WriteCounts()

    def after_write(self) -> WriteCounts:
        return _Writer(self.pending, self.by).write()


class _Writer:
    """The checked rows written in one pass: vehicles' assets and vehicles, then equipment, then schedules."""

    def __init__(self, rows: list[dict], by):
        self.rows = rows
        self.by = by
        self.created: set[str] = set()
        self.changed: set[str] = set()
        self.assets: dict[str, Asset] = {}

    def write(self) -> WriteCounts:
        vehicles = [row for row in self.rows if row["kind"] == AssetKind.VEHICLE]
        self._assets(
            [
                {**self._asset(row), "station_id": row["station_code"], "usage_unit": UsageUnit.MILES}
                for row in vehicles
            ]
        )
        self._vehicles(vehicles)
        bases = {
            tag: (pk, station)
            for tag, pk, station in Vehicle.objects.filter(
                asset__asset_tag__in={row["on_vehicle"] for row in self.rows if row["on_vehicle"]}
            ).values_list("asset__asset_tag", "pk", "station_id")
        }
        self._assets(
            [
                {
                    **self._asset(row),
                    "on_vehicle_id": bases[row["on_vehicle"]][0] if row["on_vehicle"] else None,
                    "store_id": None if row["on_vehicle"] else row["station_code"],
                    "station_id": bases[row["on_vehicle"]][1] if row["on_vehicle"] else row["station_code"],
                }
                for row in self.rows
                if row["kind"] != AssetKind.VEHICLE
            ]
        )
        if SafetyNotice.objects.exists():
            for tag in sorted(self.created):
                services.apply_notices_to(self.assets[tag], by=self.by)
        self._schedules()
        updated = len(self.changed - self.created)
        return WriteCounts(
            created=len(self.created), updated=updated, unchanged=len(self.rows) - len(self.created) - updated
        )

    @staticmethod
    def _asset(row: dict) -> dict:
        return {
            "asset_tag": row["asset_tag"],
            "kind": row["kind"],
            "make": row["make"],
            "model": row["model"],
            "serial_number": row["serial_number"],
            "loler_category": row["loler_category"] or "",
            "on_vehicle_id": None,
            "store_id": None,
        }

    def _assets(self, records: list[dict]) -> None:
        written = upsert(Asset, key=("asset_tag",), records=records)
        self.created.update(asset.asset_tag for asset in written.created)
        self.changed.update(asset.asset_tag for asset in written.updated)
        for asset in written.created + written.updated + written.unchanged:
            self.assets[asset.asset_tag] = asset

    def _vehicles(self, rows: list[dict]) -> None:
        written = upsert(
            Vehicle,
            key=("asset_id",),
            records=[
                {
                    "asset_id": self.assets[row["asset_tag"]].pk,
                    "call_sign": row["call_sign"],
                    "registration": row["registration"],
                    "vehicle_type": row["vehicle_type"],
                    "station_id": row["station_code"],
                }
                for row in rows
            ],
        )
        for vehicle in written.created:
            services.start_deep_clean_due(vehicle)
        tags = {asset.pk: tag for tag, asset in self.assets.items()}
        for vehicle in written.updated:
            self.changed.add(tags[vehicle.asset_id])
            # Equipment belongs where its vehicle is based.
            Asset.objects.filter(on_vehicle=vehicle).exclude(station_id=vehicle.station_id).update(
                station_id=vehicle.station_id, updated_at=timezone.now()
            )

    def _schedules(self) -> None:
        pks = {tag: asset.pk for tag, asset in self.assets.items()}
        readings = dict(Asset.objects.filter(pk__in=pks.values()).values_list("pk", "usage_reading"))
        stored = {
            (schedule.asset_id, schedule.kind): schedule
            for schedule in MaintenanceSchedule.objects.filter(asset_id__in=pks.values())
        }
        new, changed = [], []
        for row in self.rows:
            pk = pks[row["asset_tag"]]
            for kind, (interval, usage) in row["schedules"].items():
                schedule = stored.get((pk, kind))
                if schedule is None:
                    due_on, due_usage = services.first_due(
                        row["commissioned_on"], interval, usage, readings[pk]
                    )
                    new.append(
                        MaintenanceSchedule(
                            asset_id=pk,
                            kind=kind,
                            interval_months=interval,
                            usage_interval=usage,
                            next_due_on=due_on,
                            next_due_usage=due_usage,
                        )
                    )
                elif (schedule.interval_months, schedule.usage_interval) != (interval, usage):
                    _new_interval(schedule, interval, usage, row["commissioned_on"], readings[pk])
                    changed.append(schedule)
                else:
                    continue
                self.changed.add(row["asset_tag"])
        MaintenanceSchedule.objects.bulk_create(new, batch_size=2000)
        MaintenanceSchedule.objects.bulk_update(
            changed,
            ["interval_months", "usage_interval", "next_due_on", "next_due_usage", "updated_at"],
            batch_size=2000,
        )


def _new_interval(schedule: MaintenanceSchedule, interval, usage, commissioned_on, reading) -> None:
    """A schedule's interval changed: due one new interval after its last service (or commissioning)."""
    due_on, due_usage = services.first_due(schedule.last_done_on or commissioned_on, interval, usage, reading)
    if usage and schedule.usage_interval and schedule.next_due_usage is not None:
        # Counted from the reading at the last service, which is the old due usage less the old interval.
        due_usage = schedule.next_due_usage - schedule.usage_interval + usage
    schedule.interval_months = interval
    schedule.usage_interval = usage
    schedule.next_due_on = due_on
    schedule.next_due_usage = due_usage
    schedule.updated_at = timezone.now()


def _registration(value: str) -> str:
    plate = registration(value)
    if len(plate) > Vehicle._meta.get_field("registration").max_length:
        raise Invalid(f"{quoted(value)} is too long for a registration")
    return plate


def import_asset_register(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in the trust's asset register, all or nothing; `by` is None when a system job imports it. Call
    it outside any transaction: it checks first, then writes in one of its own. `then(result)` runs in the
    transaction that writes (or after checking, when nothing is written)."""
    importer = AssetRegisterImporter(by)
    return import_audited(importer, file, feed=FEED, by=by, progress=progress, then=then)


def _import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
    return import_asset_register(by=None, file=source, progress=progress, then=then)


# An EBME system sends this feed as rows through the integration API (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="asset_register",
        title="Asset register",
        columns=COLUMNS,
        example={
            "asset_tag": "STR-0042",
            "kind": "lifting_equipment",
            "make": "Ferno",
            "model": "Pegasus",
            "serial_number": "FE1234567",
            "station_code": "",
            "on_vehicle": "V-NM1011",
            "call_sign": "",
            "registration": "",
            "vehicle_type": "",
            "loler_category": "lifts_people",
            "commissioned_on": "2024-04-01",
            "ppm_months": "12",
            "calibration_months": "",
            "electrical_safety_months": "",
            "loler_months": "6",
            "service_months": "",
            "service_miles": "",
            "mot_months": "",
        },
        run=_import_sent_rows,
    )
)
