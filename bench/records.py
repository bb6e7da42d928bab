"""Matching a trust-year of patient records to incidents: the ePCR's record index, one final record per
attended incident in the seeded database, through `manage.py import_record_index` (checked, then written
with each record's completeness against the element set in force on its day), then matching every
incident and record and completeness for every month, as the records pages ask for them; beside a raw
`executemany` INSERT of the same rows into a copy of the same database.

Each step runs on its own copy of the seeded database, without the demo's own records (so every incident
has exactly one record, the bench's), so neither sees the other's rows and the page scenarios keep the
seeded database as it was.

Run alone at a small size (it migrates and seeds a demo trust first, unless given one, and adds synthetic
incidents through operations' CAD importer until there are enough):

    python -m bench.records --rows 20000 [--seeded path/to/candour.sqlite3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import processes
from bench.operations import CAD_COLUMNS
from bench.table import print_rows
from bench.training import copy_database

SEED = 2026
ELEMENTS = [
    "observations_two_sets",
    "news2",
    "pain_score",
    "safeguarding_question",
    "capacity_consent",
    "medicines_given",
    "conveyance_decision",
    "handover_time",
    "nhs_number_or_reason",
]
INDEX_COLUMNS = [
    "record_id",
    "incident_reference",
    "record_type",
    "status",
    "created_at",
    "finalised_at",
    "authors",
    "station",
    "medium",
    "provider",
    "elements_present",
    "patient_staff_number",
    "nhs_number",
]
RECORD_PREFIX = "BENCH-R-"
AUDIT_LEAD = "clinical.audit@northmoor.example"
# Run by `manage.py shell` on the imported copy: what the records pages ask of every month, trust-wide.
MATCH_AND_MEASURE = """
import json, os
from candour.core.measures import Period
from candour.people.models import User
from candour.records import queries
from candour.records.models import PatientRecord
from django.db.models import Max, Min
from django.utils import timezone

user = User.objects.get(email={lead!r})
span = PatientRecord.objects.aggregate(first=Min("started_at"), last=Max("started_at"))
first, last = timezone.localtime(span["first"]).date(), timezone.localtime(span["last"]).date()
month, months, finished = Period.month(first.year, first.month), 0, 0
while month.start <= last:
    finished += queries.completeness(user, month).records or 0
    months += 1
    month = Period.month(month.end.year, month.end.month)
matched = {{each.kind: each.count for each in queries.match_counts(user)}}
with open({out!r}, "w") as out:
    json.dump({{"months": months, "finished": finished, "matched": matched}}, out)
"""


def import_rows(
    *, var_dir: Path, env: dict[str, str], log: Path, rows: int | None = None
) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table: a record per attended incident in
    the seeded database, or `rows` of them, adding synthetic incidents first when there are too few."""
    database = var_dir / "candour.sqlite3"
    if rows is not None:
        _add_incidents(database, var_dir, env, log, wanted=rows)
    index = var_dir / "record-index.csv"
    written = write_index(database, index, rows=rows)
    imported, raw = var_dir / "records-import-copy", var_dir / "records-raw-copy"
    for copy in (imported, raw):
        copy.mkdir()
        copy_database(database, copy / "candour.sqlite3")
        _without_records(copy / "candour.sqlite3")

    copy_env = env | {"CANDOUR_VAR_DIR": str(imported)}
    print(f"Importing {written:,} record index rows with manage.py import_record_index ...", flush=True)
    timed = processes.manage("import_record_index", str(index), env=copy_env, log=log, timeout=3600)
    check_stored(imported / "candour.sqlite3", written)
    print("Matching records to incidents and computing completeness for every month ...", flush=True)
    answer = imported / "matched.json"
    matched = processes.manage(
        "shell",
        "-c",
        MATCH_AND_MEASURE.format(lead=AUDIT_LEAD, out=str(answer)),
        env=copy_env,
        log=log,
        timeout=3600,
    )
    found = json.loads(answer.read_text())
    print(f"Inserting the same {written:,} rows with a raw executemany INSERT ...", flush=True)
    raw_seconds = _raw_insert(raw / "candour.sqlite3", index)

    name = f"import {written:,} record index rows (manage.py import_record_index)"
    reference = "raw executemany INSERT, same rows, same database"
    ours, theirs = written / timed.seconds, written / raw_seconds
    months = found["months"]
    together = timed.seconds + matched.seconds
    return [
        (
            f"{name}: wall time",
            f"{timed.seconds:.1f} s",
            f"{raw_seconds:.1f} s ({reference})",
            f"{timed.seconds / raw_seconds:.1f}x",
        ),
        (f"{name}: throughput", f"{ours:,.0f} rows/s", f"{theirs:,.0f} rows/s", f"{ours / theirs:.2f}x"),
        (f"{name}: peak memory (RSS)", f"{timed.peak_rss_bytes / 2**20:.0f} MiB", "—", "—"),
        (
            f"match every incident and record, completeness for {months} months: wall time",
            f"{matched.seconds:.1f} s",
            "—",
            "—",
        ),
        (
            f"match every incident and record, completeness for {months} months: peak memory (RSS)",
            f"{matched.peak_rss_bytes / 2**20:.0f} MiB",
            "—",
            "—",
        ),
        (
            f"import {written:,} records, then match and measure every month: wall time",
            f"{together:.1f} s",
            f"{raw_seconds:.1f} s ({reference})",
            f"{together / raw_seconds:.1f}x",
        ),
        (
            "records matched: " + ", ".join(f"{kind} {count:,}" for kind, count in found["matched"].items()),
            f"{found['finished']:,} finished records measured",
            "—",
            "—",
        ),
    ]


def _attended(db: sqlite3.Connection) -> list[tuple]:
    """Every attended incident: id, its station's code, on scene, crew clear (or None); oldest first."""
    return list(
        db.execute(
            "SELECT i.incident_id, u.code, i.first_on_scene, i.crew_clear FROM operations_cadincident i "
            "JOIN people_orgunit u ON u.id = i.station_id WHERE i.first_on_scene IS NOT NULL "
            "ORDER BY i.first_on_scene, i.incident_id"
        )
    )


def _add_incidents(database: Path, var_dir: Path, env: dict[str, str], log: Path, *, wanted: int) -> None:
    """Synthetic attended incidents through operations' CAD importer, until `wanted` are attended."""
    with sqlite3.connect(database) as db:
        have = len(_attended(db))
        stations = [row[0] for row in db.execute("SELECT code FROM people_orgunit WHERE kind = 'station'")]
    missing = wanted - have
    if missing <= 0:
        return
    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cad = var_dir / "bench-cad-incidents.csv"
    with cad.open("w", newline="") as out:
        writer = csv.DictWriter(out, CAD_COLUMNS)
        writer.writeheader()
        for number in range(missing):
            connected = now - dt.timedelta(days=2, seconds=rng.randrange(365 * 86_400))
            on_scene = connected + dt.timedelta(minutes=rng.randint(6, 60))
            clear = on_scene + dt.timedelta(minutes=rng.randint(20, 120))
            writer.writerow(
                {
                    "incident_id": f"BENCH-INC-{number:08d}",
                    "station_code": rng.choice(stations),
                    "category": rng.choice(("C1", "C2", "C2", "C3", "C4")),
                    "call_connected": connected.isoformat(),
                    "chief_complaint_identified": (connected + dt.timedelta(seconds=60)).isoformat(),
                    "first_assigned": (connected + dt.timedelta(seconds=90)).isoformat(),
                    "first_on_scene": on_scene.isoformat(),
                    "conveyed": "N",
                    "crew_clear": clear.isoformat(),
                    "outcome": "see_and_treat",
                    "channel": "voice",
                    "bariatric": "N",
                    "long_wait": "N",
                }
            )
    print(
        f"Adding {missing:,} synthetic attended incidents with manage.py import_cad_incidents ...", flush=True
    )
    processes.manage("import_cad_incidents", str(cad), env=env, log=log, timeout=3600)


def write_index(database: Path, index: Path, *, rows: int | None = None) -> int:
    """One final record per attended incident (the newest `rows` of them, when given), by two of its
    station's staff, most with every mandatory element; how many rows were written."""
    rng = random.Random(SEED)
    with sqlite3.connect(database) as db:
        incidents = _attended(db)
        staff: dict[str, list[str]] = {}
        for code, number in db.execute(
            "SELECT u.code, p.staff_number FROM people_person p JOIN people_orgunit u ON u.id = p.station_id "
            "ORDER BY p.staff_number"
        ):
            staff.setdefault(code, []).append(number)
    if rows is not None:
        incidents = incidents[-rows:]
    anyone = [number for numbers in staff.values() for number in numbers][:50] or ["B0001"]
    latest = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    with index.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(INDEX_COLUMNS)
        for number, (incident_id, station, on_scene, clear) in enumerate(incidents):
            started = _moment(on_scene)
            finished = _moment(clear) if clear else started
            crew = staff.get(station) or anyone
            present = [code for code in ELEMENTS if rng.random() < 0.97]
            writer.writerow(
                [
                    f"{RECORD_PREFIX}{number:08d}",
                    incident_id,
                    "",
                    "final",
                    started.isoformat(),
                    min(
                        max(finished, started) + dt.timedelta(minutes=rng.randint(5, 90)), latest
                    ).isoformat(),
                    ";".join(sorted(set(rng.sample(crew, min(2, len(crew)))))),
                    station,
                    "electronic",
                    "",
                    ";".join(present),
                    "",
                    "",
                ]
            )
    return len(incidents)


def _moment(stored: str) -> dt.datetime:
    """A time as SQLite holds Django's (UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]'), made aware."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)


def _without_records(database: Path) -> None:
    """The seeded demo already has a record per incident; each copy starts without them (and the reviews
    of them), so every incident gets exactly one record, the bench's, and the two copies start alike."""
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM records_recordreview")
        db.execute("DELETE FROM records_recordauthor")
        db.execute("DELETE FROM records_patientrecord")


def check_stored(database: Path, rows: int) -> None:
    with sqlite3.connect(database) as db:
        stored = db.execute(
            "SELECT count(*) FROM records_patientrecord WHERE record_id LIKE ?", (f"{RECORD_PREFIX}%",)
        ).fetchone()[0]
    if stored != rows:
        raise RuntimeError(f"The record index import stored {stored:,} of {rows:,} rows.")


def _raw_insert(database: Path, index: Path) -> float:
    """Seconds to read the file and insert its rows in one transaction, with no checks at all."""
    db = sqlite3.connect(database)
    try:
        stations = dict(db.execute("SELECT code, id FROM people_orgunit WHERE kind = 'station'"))
        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
        with index.open(newline="") as rows:
            reader = csv.DictReader(rows)
            values = []
            for row in reader:
                present = set(row["elements_present"].split(";"))
                completeness = {code: code in present for code in ELEMENTS}
                values.append(
                    (
                        uuid.uuid4().hex,
                        now,
                        now,
                        row["record_id"],
                        row["incident_reference"],
                        "patient_care_record",
                        row["status"],
                        row["created_at"],
                        row["finalised_at"] or None,
                        json.dumps(row["authors"].split(";")),
                        stations[row["station"]],
                        row["medium"],
                        row["provider"],
                        json.dumps(completeness),
                        all(completeness.values()),
                        "",
                        "",
                        "",
                    )
                )
        with db:
            db.executemany(
                "INSERT INTO records_patientrecord (public_id, created_at, updated_at, record_id, "
                "incident_reference, record_type, status, started_at, finalised_at, authors, station_id, "
                "medium, provider, completeness, complete, patient_staff_number, nhs_number, "
                "lost_concern_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return time.perf_counter() - started
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.records", description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="record index rows (default: 20000)")
    parser.add_argument("--seeded", type=Path, help="a seeded SQLite database to start from (copied)")
    parser.add_argument("--scale", default="demo", help="seed_demo scale when not given one (default: demo)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="candour-bench-records-") as temporary:
        var_dir = Path(temporary)
        env = processes.app_environment(var_dir)
        log = var_dir / "bench.log"
        try:
            if options.seeded:
                copy_database(options.seeded, var_dir / "candour.sqlite3")
            else:
                print(
                    f"Migrating a fresh SQLite database, then seed_demo --scale {options.scale} ...",
                    flush=True,
                )
                processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=600)
                # Measure snapshots are no part of what this times: one month of them is enough.
                processes.manage(
                    "seed_demo",
                    "--seed",
                    str(SEED),
                    "--scale",
                    options.scale,
                    "--snapshot-months",
                    "1",
                    env=env,
                    log=log,
                    timeout=3600,
                )
            rows = import_rows(var_dir=var_dir, env=env, log=log, rows=options.rows)
        except RuntimeError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 1
    print_rows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
