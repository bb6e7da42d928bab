"""The odometer feed: vehicles' mileage, as telematics or the fuel card system reports it, a row per vehicle
and day, for the schedules due by use (a vehicle service every so many miles).

A reading never goes backwards (`services.usage_problem`, the rule `record_usage` applies): a row lower than
the vehicle's stored reading, or lower than a reading of an earlier day in the same file, is refused with
its line. A row for a registration not on the register, or a day in the future, is refused too. Each
vehicle takes the reading of its latest day in the file; the same file twice changes nothing, and an updated
file changes only the vehicles whose latest reading rose. Overdue by use is worked out from the reading and
each schedule's due usage when asked (ADR 0032), so nothing else needs writing.
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
)
from candour.fleet import services
from candour.fleet.importers.cells import past_day, whole_number
from candour.fleet.models import Asset, Vehicle
from candour.people.models import User

FEED = "odometer readings"
COLUMNS = ("registration", "read_on", "odometer_miles")


def registration(value: str) -> str:
    """As the register keeps it: capitals, no spaces."""
    return value.replace(" ", "").upper()


class OdometerImporter(Importer):
    """Mileage readings for the vehicles on the register."""

    key = ("registration", "read_on")

    def __init__(self):
        self.vehicles = {
            vehicle.registration: vehicle.asset
            for vehicle in Vehicle.objects.select_related("asset").only(
                "registration", "asset__id", "asset__asset_tag", "asset__usage_unit", "asset__usage_reading"
            )
        }
        self.columns = (
            Column("registration", self._registration),
            Column("read_on", past_day),
            Column("odometer_miles", whole_number),
        )
        # (day, reading, line) of every good row, per registration: a few a vehicle, a few hundred vehicles.
        self.readings: dict[str, list[tuple]] = {}
        self.latest: dict[str, tuple] = {}

    def _registration(self, value: str) -> str:
        found = registration(value)
        if found not in self.vehicles:
            raise Invalid(f"no vehicle on the register is registered {quoted(value)}")
        return found

    def check_row(self, row: Row) -> None:
        values = row.values
        problem = services.usage_problem(self.vehicles[values["registration"]], values["odometer_miles"])
        if problem:
            raise Invalid(problem, column="odometer_miles")
        self.readings.setdefault(values["registration"], []).append(
            (values["read_on"], values["odometer_miles"], row.line)
        )

    def check_file(self, keys_in_file: Container[tuple]) -> Iterable[RowError]:
        for plate, readings in self.readings.items():
            highest = None
            for day, miles, line in sorted(readings):
                if highest is not None and miles < highest[1]:
                    yield RowError(
                        line,
                        "odometer_miles",
                        f"{miles:,} miles on {day:%d/%m/%Y} is lower than {highest[1]:,} on "
                        f"{highest[0]:%d/%m/%Y} (line {highest[2]}): a reading never goes backwards",
                    )
                else:
                    highest = (day, miles, line)
            self.latest[plate] = max(readings)

    def write_batch(self, prepared) -> WriteCounts:
        return WriteCounts()

    def after_write(self) -> WriteCounts:
        rising = []
        for plate, (_, miles, _) in self.latest.items():
            asset = self.vehicles[plate]
            if asset.usage_reading is None or miles > asset.usage_reading:
                asset.usage_reading = miles
                asset.updated_at = timezone.now()
                rising.append(asset)
        Asset.objects.bulk_update(rising, ["usage_reading", "updated_at"], batch_size=1000)
        rows = sum(len(readings) for readings in self.readings.values())
        return WriteCounts(updated=len(rising), unchanged=rows - len(rising))


def import_odometer_readings(
    *,
    by: User | None,
    file: BinaryIO | CsvSource | RowSource,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Bring in vehicles' mileage, all or nothing; `by` is None when a system job imports it. Call it outside
    any transaction: it checks first, then writes in one of its own. `then(result)` runs in the transaction
    that writes (or after checking, when nothing is written)."""
    importer = OdometerImporter()
    return import_audited(importer, file, feed=FEED, by=by, progress=progress, then=then)


def _import_sent_rows(source: RowSource, *, then, progress=None) -> ImportResult:
    return import_odometer_readings(by=None, file=source, progress=progress, then=then)


# Telematics send this feed as rows through the integration API (core.importing.feeds).
feeds.register(
    feeds.Feed(
        key="odometer_readings",
        title="Odometer readings",
        columns=COLUMNS,
        example={"registration": "NM24 ABC", "read_on": "2026-03-02", "odometer_miles": "48210"},
        run=_import_sent_rows,
    )
)
