"""Operations at a trust-year's scale (issue 12): the CAD incidents feed and the monthly response-time table.

- Import 100,000 and then 1,000,000 incidents through `manage.py import_cad_incidents` (every row checked
  and measured by the ARP clock, then written in one transaction), each beside a raw executemany INSERT of
  the same file's rows into the same database, and the import's peak memory at both sizes (it must not grow
  with the file).
- `manage.py arp` over the same million incidents beside DuckDB computing the same table from the same file
  with SQL, and whether the two tables agree to the second.
- Refreshing the operations measures' snapshots over the chart span on the database holding them.

Run alone on a seeded database: `python -m bench.operations --rows 20000` (it seeds a demo trust first).
Each import starts from its own copy of the seeded database, so the page scenarios keep the seeded data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import processes
from bench.table import print_rows
from bench.training import copy_database
from candour.operations.arp.incidents import COLUMNS as ARP_INPUT_COLUMNS

ROWS = 1_000_000
SMALL_ROWS = 100_000
# Starts after the demo's last day, so no incident here is one the seeded trust already has.
FIRST_DAY = dt.date(2027, 1, 1)
CATEGORY_SHARES = (("C1", 10), ("C2", 62), ("C3", 21), ("C4", 7))
# Typical and longest responses (minutes): under each standard, so the bench opens few harm reviews.
RESPONSE_MINUTES = {"C1": (7, 14), "C2": (20, 39), "C3": (60, 115), "C4": (80, 175)}
CAD_COLUMNS = (
    "incident_id",
    "call_ids",
    "station_code",
    "category",
    "retriaged_at",
    "retriaged_to",
    "call_connected",
    "chief_complaint_identified",
    "first_assigned",
    "first_on_scene",
    "first_transport_on_scene",
    "conveyed",
    "destination_hospital",
    "arrived_at_hospital",
    "handover_complete",
    "crew_clear",
    "outcome",
    "channel",
    "interpreter_language",
    "interpreter_joined",
    "bariatric",
    "long_wait",
)
# The layout `manage.py arp` reads, from the command's own module.
ARP_COLUMNS = ARP_INPUT_COLUMNS


def import_rows(
    *, var_dir: Path, env: dict[str, str], log: Path, rows: int = ROWS, small_rows: int = SMALL_ROWS
) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows: the import at two sizes, each beside a raw INSERT."""
    database = var_dir / "candour.sqlite3"
    stations, hospitals = _reference(database)
    table = []
    peaks = []
    for size in (small_rows, rows):
        export = var_dir / f"cad-incidents-{size}.csv"
        write_incidents(export, size, stations=stations, hospitals=hospitals)
        imported, raw = var_dir / f"cad-import-{size}", var_dir / f"cad-raw-{size}"
        for copy in (imported, raw):
            copy.mkdir()
            copy_database(database, copy / "candour.sqlite3")
        print(f"Importing {size:,} CAD incidents with manage.py import_cad_incidents ...", flush=True)
        timed = processes.manage(
            "import_cad_incidents",
            str(export),
            env=env | {"CANDOUR_VAR_DIR": str(imported)},
            log=log,
            timeout=7200,
        )
        _check_stored(imported / "candour.sqlite3", size)
        print(f"Inserting the same {size:,} rows with a raw executemany INSERT ...", flush=True)
        raw_seconds = raw_insert(raw / "candour.sqlite3", export)
        peaks.append((size, timed.peak_rss_bytes))
        name = f"import {size:,} CAD incidents (manage.py import_cad_incidents)"
        reference = "raw executemany INSERT of the file's rows, same database"
        table += [
            (
                f"{name}: wall time",
                f"{timed.seconds:.1f} s",
                f"{raw_seconds:.1f} s ({reference})",
                f"{timed.seconds / raw_seconds:.1f}x",
            ),
            (
                f"{name}: throughput",
                f"{size / timed.seconds:,.0f} rows/s",
                f"{size / raw_seconds:,.0f} rows/s",
                f"{raw_seconds / timed.seconds:.2f}x",
            ),
        ]
        for copy in (imported, raw):
            (copy / "candour.sqlite3").unlink()
    (small, small_peak), (large, large_peak) = peaks
    table.append(
        (
            f"import {large:,} CAD incidents: peak memory (RSS)",
            f"{large_peak / 2**20:.0f} MiB",
            f"{small_peak / 2**20:.0f} MiB ({small:,} incidents)",
            f"{large_peak / small_peak:.2f}x",
        )
    )
    return table


def arp_rows(*, var_dir: Path, log: Path, rows: int = ROWS) -> list[tuple[str, str, str, str]]:
    """`manage.py arp` beside DuckDB over the same file, and whether their tables agree."""
    import duckdb  # a bench-only dependency (requirements/bench.txt)

    database = var_dir / "candour.sqlite3"
    stations, _ = _reference(database)
    export = var_dir / f"arp-incidents-{rows}.csv"
    write_incidents(export, rows, stations=stations, hospitals=["Bench General"], layout="arp")
    print(f"Computing the monthly ARP table of {rows:,} incidents with manage.py arp ...", flush=True)
    ours_file = var_dir / "arp-ours.csv"
    started = time.perf_counter()
    with ours_file.open("w") as out, log.open("ab") as errors:
        subprocess.run(
            [sys.executable, "manage.py", "arp", str(export), "--centile", "linear", "--verbosity", "0"],
            cwd=processes.ROOT,
            stdout=out,
            stderr=errors,
            check=True,
        )
    ours_seconds = time.perf_counter() - started
    print("Computing the same table with DuckDB ...", flush=True)
    started = time.perf_counter()
    theirs = duckdb.sql(_duckdb_arp_sql(export)).fetchall()
    duckdb_seconds = time.perf_counter() - started
    with ours_file.open(newline="") as handle:
        ours = [tuple(row) for row in csv.reader(handle)][1:]
    agreed = _same_table(ours, theirs)
    name = f"monthly ARP table, every category x area x month, {rows:,} incidents (manage.py arp)"
    return [
        (
            f"{name}: wall time",
            f"{ours_seconds:.1f} s",
            f"{duckdb_seconds:.1f} s (DuckDB {duckdb.__version__}, SQL over the same file)",
            f"{ours_seconds / duckdb_seconds:.1f}x",
        ),
        (f"{name}: rows of the table, and whether DuckDB's agree", f"{len(ours):,}", agreed, "—"),
    ]


def refresh_rows(*, env: dict[str, str], log: Path, label: str) -> list[tuple[str, str, str, str]]:
    """Refreshing the operations measures over the chart span (each answers a span at once, ADR 0040)."""
    count, seconds = refresh_measures(env=env, log=log)
    return [(f"refresh {count} operations measures' snapshots, chart span ({label})", f"{seconds:.1f} s")]


def refresh_measures(*, env: dict[str, str], log: Path) -> tuple[int, float]:
    """Refresh every operations measure's snapshots over the chart span: how many there are, and seconds."""
    keys = _operations_measure_keys(env, log)
    arguments = [argument for key in keys for argument in ("--measure", key)]
    print(f"Refreshing {len(keys)} operations measures over the chart span ...", flush=True)
    timed = processes.manage("refresh_snapshots", *arguments, env=env, log=log, timeout=4 * 3600)
    return len(keys), timed.seconds


def _operations_measure_keys(env: dict[str, str], log: Path) -> list[str]:
    listing = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from candour.core.measures import all_measures\n"
            "print('\\n'.join(m.key for m in all_measures() if m.key.startswith('operations.')))",
        ],
        cwd=processes.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listing.stdout.splitlines() if line.startswith("operations.")]


def write_incidents(
    export: Path,
    rows: int,
    *,
    stations: list[tuple[str, str]],
    hospitals: list[str],
    layout: str = "cad",
    first_day: dt.date = FIRST_DAY,
    prefix: str = "BX",
) -> None:
    """`rows` incidents spread over a year from `first_day`, in the CAD feed's layout or `manage.py arp`'s,
    their ids starting with `prefix` (one per trust when several trusts' files go to one database)."""
    rng = random.Random(rows)
    categories = [category for category, _ in CATEGORY_SHARES]
    weights = [share for _, share in CATEGORY_SHARES]
    seconds_in_year = 365 * 86_400
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
    with export.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CAD_COLUMNS if layout == "cad" else ARP_COLUMNS)
        for number in range(rows):
            station, area = stations[number % len(stations)]
            category = rng.choices(categories, weights)[0]
            connected = start + dt.timedelta(seconds=number * seconds_in_year // rows)
            complaint = connected + dt.timedelta(seconds=rng.randint(20, 150))
            assigned = complaint + dt.timedelta(seconds=rng.randint(5, 60))
            retriaged_at = retriaged_to = None
            if category == "C3" and rng.random() < 0.04:  # upgraded on re-triage: the clock restarts
                retriaged_at, retriaged_to = complaint + dt.timedelta(minutes=rng.randint(5, 20)), "C2"
            typical, longest = RESPONSE_MINUTES[retriaged_to or category]
            clock = retriaged_at or min(complaint, assigned)
            minutes = min(rng.expovariate(1 / (typical * 0.6)) + typical * 0.4, longest)
            on_scene = max(
                clock + dt.timedelta(seconds=int(minutes * 60)), assigned + dt.timedelta(seconds=60)
            )
            seen = rng.random() > 0.08  # some are closed by phone: nobody on scene
            conveyed = seen and rng.random() < 0.6
            transport = (
                on_scene + dt.timedelta(minutes=rng.randint(2, 8)) if conveyed and category == "C1" else None
            )
            transport = transport or (on_scene if conveyed else None)
            fields = {
                "incident_id": f"{prefix}-{number:08d}",
                "call_ids": f"{prefix}C{number:08d}",
                "station_code": station,
                "area": area,
                "category": category,
                "retriaged_at": _iso(retriaged_at),
                "retriaged_to": retriaged_to or "",
                "call_connected": _iso(connected),
                "chief_complaint_identified": _iso(complaint),
                "first_assigned": _iso(assigned),
                "first_on_scene": _iso(on_scene if seen else None),
                "first_transport_on_scene": _iso(transport),
                "conveyed": ("Y" if conveyed else "N") if layout == "cad" else ("y" if conveyed else "n"),
                "destination_hospital": rng.choice(hospitals) if conveyed else "",
                "arrived_at_hospital": _iso(transport + dt.timedelta(minutes=40) if conveyed else None),
                "handover_complete": _iso(transport + dt.timedelta(minutes=58) if conveyed else None),
                "crew_clear": _iso(
                    transport + dt.timedelta(minutes=70) if conveyed else on_scene + dt.timedelta(minutes=50)
                ),
                "outcome": "see_and_convey" if conveyed else "see_and_treat" if seen else "hear_and_treat",
                "channel": "voice",
                "interpreter_language": "",
                "interpreter_joined": "",
                "bariatric": "N",
                "long_wait": "N",
            }
            writer.writerow([fields[column] for column in (CAD_COLUMNS if layout == "cad" else ARP_COLUMNS)])


def raw_insert(database: Path, export: Path) -> float:
    """Seconds to read the file and insert its rows, as they are, into a table of its columns in the same
    database, in one transaction, with no checks at all: the floor for any import of the file."""
    db = sqlite3.connect(database)
    try:
        columns = ", ".join(f'"{column}" TEXT' for column in CAD_COLUMNS)
        db.execute(f"CREATE TABLE bench_raw_cad_incident ({columns})")
        started = time.perf_counter()
        with export.open(newline="") as rows, db:
            reader = csv.reader(rows)
            next(reader)
            placeholders = ", ".join(["?"] * len(CAD_COLUMNS))
            db.executemany(f"INSERT INTO bench_raw_cad_incident VALUES ({placeholders})", reader)
        return time.perf_counter() - started
    finally:
        db.close()


def _reference(database: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(station code, area name) for the trust's stations, and the hospitals its incidents go to."""
    with sqlite3.connect(database) as db:
        return reference_of(db)


def reference_of(db) -> tuple[list[tuple[str, str]], list[str]]:
    """(station code, area name) and hospital codes from a DB-API connection to a seeded database (SQLite's
    or psycopg's: both run a statement from the connection)."""
    stations = list(
        db.execute(
            "SELECT station.code, area.name FROM people_orgunit station "
            "JOIN people_orgunit area ON area.id = station.parent_id "
            "WHERE station.kind = 'station' AND area.kind = 'area' ORDER BY station.code"
        )
    )
    hospitals = [
        name for (name,) in db.execute("SELECT code FROM operations_hospital WHERE active ORDER BY code")
    ]
    if not stations or not hospitals:
        raise RuntimeError("The seeded trust has no stations or no hospitals to send incidents to.")
    return stations, hospitals


def _check_stored(database: Path, rows: int) -> None:
    with sqlite3.connect(database) as db:
        count = db.execute(
            "SELECT count(*) FROM operations_cadincident WHERE incident_id LIKE 'BX-%'"
        ).fetchone()[0]
    if count != rows:
        raise RuntimeError(f"The import stored {count:,} of {rows:,} incidents.")


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _duckdb_arp_sql(export: Path) -> str:
    """The monthly table `manage.py arp` prints, in SQL: the same clock rules (offsets of 30 s for C1 and
    240 s otherwise, the defaults), linear 90th centiles, halves rounded up."""
    path = str(export).replace("'", "''")
    return f"""
    WITH raw AS (
        SELECT * FROM read_csv('{path}', header = true, all_varchar = true)
    ), parsed AS (
        SELECT
            area,
            category,
            NULLIF(retriaged_to, '') AS retriaged_to,
            CAST(call_connected AS TIMESTAMPTZ) AS connected,
            CAST(NULLIF(chief_complaint_identified, '') AS TIMESTAMPTZ) AS complaint,
            CAST(NULLIF(first_assigned, '') AS TIMESTAMPTZ) AS assigned,
            CAST(NULLIF(first_on_scene, '') AS TIMESTAMPTZ) AS on_scene,
            CAST(NULLIF(first_transport_on_scene, '') AS TIMESTAMPTZ) AS transport,
            CAST(NULLIF(retriaged_at, '') AS TIMESTAMPTZ) AS retriaged_at,
            lower(conveyed) = 'y' AS conveyed
        FROM raw
    ), clocked AS (
        SELECT
            strftime(connected AT TIME ZONE 'Europe/London', '%Y-%m') AS month,
            area,
            coalesce(retriaged_to, category) AS final,
            conveyed,
            on_scene,
            transport,
            CASE WHEN retriaged_to IS NOT NULL AND retriaged_to < category THEN retriaged_at
                 ELSE least(
                     connected + to_seconds(CASE WHEN category = 'C1' THEN 30 ELSE 240 END),
                     coalesce(complaint, connected + INTERVAL 1 DAY),
                     coalesce(assigned, connected + INTERVAL 1 DAY))
            END AS started
        FROM parsed
    ), responses AS (
        SELECT month, area, final AS category,
               epoch(CASE WHEN final = 'C1' THEN on_scene ELSE coalesce(transport, on_scene) END)
               - epoch(started) AS seconds
        FROM clocked
        UNION ALL
        SELECT month, area, 'C1T', epoch(transport) - epoch(started)
        FROM clocked WHERE final = 'C1' AND conveyed
    ), counted AS (
        SELECT month, area, category, CAST(seconds AS BIGINT) AS seconds
        FROM responses WHERE seconds IS NOT NULL
    ), grouped AS (
        SELECT month, area, category, count(*) AS incidents, sum(seconds) AS total,
               quantile_cont(seconds, 0.9) AS centile
        FROM counted GROUP BY GROUPING SETS ((month, area, category), (month, category))
    )
    SELECT month, coalesce(area, 'All') AS area, category, incidents, total,
           CAST(floor(total / incidents + 0.5) AS BIGINT) AS mean,
           CAST(floor(centile + 0.5) AS BIGINT) AS centile90
    FROM grouped
    ORDER BY month, area IS NULL, area, category
    """


def _same_table(ours: list[tuple], theirs: list[tuple]) -> str:
    """'yes' when both give the same rows, else the first difference."""
    ours_rows = sorted(tuple(str(cell) for cell in row) for row in ours)
    their_rows = sorted(tuple(str(cell) for cell in row) for row in theirs)
    if ours_rows == their_rows:
        return "yes, to the second"
    for mine, other in zip(ours_rows, their_rows, strict=False):
        if mine != other:
            return f"NO: {mine} beside {other}"
    return f"NO: {len(ours_rows)} rows beside {len(their_rows)}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.operations", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="candour-bench-operations-") as temporary:
        var_dir = Path(temporary)
        env = processes.app_environment(var_dir)
        log = var_dir / "bench.log"
        processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=900)
        processes.manage("seed_demo", "--seed", "2026", env=env, log=log, timeout=3600)
        rows = import_rows(
            var_dir=var_dir, env=env, log=log, rows=options.rows, small_rows=options.rows // 10
        )
        rows += arp_rows(var_dir=var_dir, log=log, rows=options.rows)
        rows += refresh_rows(env=env, log=log, label="demo scale")
    print_rows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
