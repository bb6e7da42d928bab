"""Importing the learning system's export at scale: 200,000 training records through `manage.py
import_training` (checked, then written with compliance recomputed in one transaction), beside a raw
`executemany` INSERT of the same rows into a copy of the same database.

Both start from the seeded trust, each on its own copy, so neither sees the other's rows and the page
scenarios keep the seeded database as it was.

Then the same import into the database the server is serving, while clients ask for the home page: its p95
beside the home page's p95 without an import, measured earlier in the same run (ADR 0023). This runs last,
as it adds the rows to the served database.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench import load, processes

ROWS = 200_000
PROVIDER = "Bench learning system"
# The demo's records are from the last few years; these are older, so none of them is already stored.
FIRST_DAY = dt.date(1995, 1, 1)
DAYS_PER_CYCLE = 1_100


def import_rows(*, var_dir: Path, env: dict[str, str], log: Path) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table."""
    database = var_dir / "candour.sqlite3"
    export = var_dir / "training-records.csv"
    write_export(database, export)
    imported, raw = var_dir / "import-copy", var_dir / "raw-copy"
    for copy in (imported, raw):
        copy.mkdir()
        copy_database(database, copy / "candour.sqlite3")

    print(f"Importing {ROWS:,} training records with manage.py import_training ...", flush=True)
    timed = processes.manage(
        "import_training", str(export), env=env | {"CANDOUR_VAR_DIR": str(imported)}, log=log, timeout=3600
    )
    print(f"Inserting the same {ROWS:,} rows with a raw executemany INSERT ...", flush=True)
    raw_seconds = _raw_insert(raw / "candour.sqlite3", export)
    check_stored(imported / "candour.sqlite3")

    name = f"import {ROWS:,} training records (manage.py import_training)"
    ours, theirs = ROWS / timed.seconds, ROWS / raw_seconds
    reference = "raw executemany INSERT, same rows, same database"
    return [
        (
            f"{name}: wall time",
            f"{timed.seconds:.1f} s",
            f"{raw_seconds:.1f} s ({reference})",
            f"{timed.seconds / raw_seconds:.1f}x",
        ),
        (f"{name}: throughput", f"{ours:,.0f} rows/s", f"{theirs:,.0f} rows/s", f"{ours / theirs:.2f}x"),
        (f"{name}: peak memory (RSS)", f"{timed.peak_rss_bytes / 2**20:.0f} MiB", "—", "—"),
    ]


def write_export(database: Path, export: Path, *, rows: int = ROWS, provider: str = PROVIDER) -> None:
    """`rows` rows over every person employed and every subject, each (person, subject, day) once."""
    with sqlite3.connect(database) as db:
        staff = [row[0] for row in db.execute("SELECT staff_number FROM people_person ORDER BY staff_number")]
        subjects = list(db.execute("SELECT code, required_hours FROM learning_subject ORDER BY code"))
    pairs = len(staff) * len(subjects)
    with export.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["staff_number", "subject_code", "completed_on", "hours", "provider"])
        for index in range(rows):
            code, hours = subjects[(index // len(staff)) % len(subjects)]
            # A pair comes round again every `pairs` rows, each time within a later span of days.
            day = FIRST_DAY + dt.timedelta(days=(index // pairs) * DAYS_PER_CYCLE + index % 997)
            writer.writerow([staff[index % len(staff)], code, day.isoformat(), hours or "", provider])


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)


def _raw_insert(database: Path, export: Path) -> float:
    """Seconds to read the file and insert its rows in one transaction, with no checks at all."""
    db = sqlite3.connect(database)
    try:
        people = dict(db.execute("SELECT staff_number, id FROM people_person"))
        subjects = dict(db.execute("SELECT code, id FROM learning_subject"))
        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
        with export.open(newline="") as rows:
            reader = csv.reader(rows)
            next(reader)
            values = [
                (
                    uuid.uuid4().hex,
                    now,
                    now,
                    people[number],
                    subjects[code],
                    day,
                    hours or None,
                    provider,
                    "import",
                )
                for number, code, day, hours, provider in reader
            ]
        with db:
            db.executemany(
                "INSERT INTO learning_trainingrecord (public_id, created_at, updated_at, person_id, "
                "subject_id, completed_on, hours, provider, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return time.perf_counter() - started
    finally:
        db.close()


def export_rows(export: Path) -> list[dict[str, str]]:
    """The export's rows as named values, as an API submission carries them."""
    with export.open(newline="") as rows:
        return list(csv.DictReader(rows))


def check_stored(database: Path, *, rows: int = ROWS, provider: str = PROVIDER) -> None:
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT count(*) FROM learning_trainingrecord WHERE provider = ?", (provider,))
        count = stored.fetchone()[0]
    if count != rows:
        raise RuntimeError(f"The import stored {count:,} of {rows:,} rows.")


def import_while_serving_rows(
    *,
    var_dir: Path,
    env: dict[str, str],
    log: Path,
    scenario: load.Scenario,
    clients: list[load.Client],
    without: load.Result,
) -> list[tuple[str, str, str, str]]:
    """The page's p95 while the export is imported into the database it is served from, beside its p95
    without an import; and how many of its requests failed meanwhile (before ADR 0023, every one did)."""
    database, export = var_dir / "candour.sqlite3", var_dir / "training-records.csv"
    print(
        f"Timing {scenario.name} while {ROWS:,} training records are imported into its database", flush=True
    )
    with log.open("ab") as out:
        started = time.perf_counter()
        importing = subprocess.Popen(
            [sys.executable, "manage.py", "import_training", str(export)],
            cwd=processes.ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        during = load.run(scenario, clients, seconds=3600, stop=lambda: importing.poll() is not None)
        importing.wait()
        seconds = time.perf_counter() - started
    if importing.returncode != 0:
        raise RuntimeError(f"manage.py import_training failed ({importing.returncode}); see {log}")
    check_stored(database)
    name = f"{scenario.name} ({scenario.path}) while {ROWS:,} training records are imported ({seconds:.0f} s)"
    if not during.latencies:
        return [(f"{name}: p95 latency", "no request succeeded", "—", "—")]
    ours, theirs = during.percentile(95) * 1000, without.percentile(95) * 1000
    return [
        (
            f"{name}: p95 latency",
            f"{ours:.1f} ms",
            f"{theirs:.1f} ms (the same page, no import)",
            f"{ours / theirs:.2f}x",
        ),
        (
            f"{name}: requests failed",
            f"{len(during.errors)} of {len(during.errors) + len(during.latencies)}",
            "0",
            "—",
        ),
    ]
