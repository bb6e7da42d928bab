"""Controlled drugs registers at scale (issue 14).

1. A year of register lines for the trust (200,000 by default) through `manage.py import_register_entries`
   (every row checked as the one writer checks an entry, each part's balance walked line by line, then
   written in one transaction), beside a raw `executemany` INSERT of the same rows, with their line numbers
   and balances worked out by a plain running sum, into a copy of the same database.
2. The register page of the busiest drug part (every line, as a reader first opens it, and one month of
   it), timed on the server beside the bare health view: `register_scenarios`.
3. Recording at once: 10 writer processes each recording entries through `services.record_entry` into the
   same few parts on PostgreSQL (a scratch database), entries per second, then every part checked: no
   entry lost, lines numbered 1 to n without a gap, each balance the sum of the lines before it.

Run alone at a small size: `python -m bench.medicines --entries 20000` (it seeds its own demo trust).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

from bench import load, processes
from bench.postgres import scratch_database
from bench.table import print_rows
from bench.training import copy_database

ENTRIES = 200_000
WRITERS = 10
WRITES_PER_WRITER = 200
MEDICINES_LEAD = "medicines.lead@northmoor.example"
# Stock moves through each station's safe to its vehicle: top-ups from the pharmacy, transfers of a few
# ampoules with a witness, and doses given (a few wasted with a witness).
RECEIPT, TOP_UP, WASTED_SHARE = 20, 4, 0.05
HEADER = (
    "station_code",
    "premises",
    "drug",
    "strength",
    "form",
    "line",
    "kind",
    "occurred_on",
    "recorded_at",
    "recorded_by",
    "quantity",
    "witness",
    "party_name",
    "party_address",
    "incident_reference",
    "authority",
    "dose",
    "collected_by",
    "id_requested",
    "id_shown",
    "batch",
    "expires_on",
    "transfer_reference",
    "other_station_code",
    "other_premises",
    "late_reason",
    "remarks",
)


def import_rows(
    *, var_dir: Path, env: dict[str, str], log: Path, entries: int = ENTRIES
) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table."""
    database = var_dir / "candour.sqlite3"
    export = var_dir / "register-entries.csv"
    written = write_register_file(database, export, entries=entries)
    imported, raw = var_dir / "cd-import-copy", var_dir / "cd-raw-copy"
    for copy in (imported, raw):
        copy.mkdir()
        copy_database(database, copy / "candour.sqlite3")
    before = _stored(database)

    print(f"Importing {written:,} register lines with manage.py import_register_entries ...", flush=True)
    timed = processes.manage(
        "import_register_entries",
        str(export),
        env=env | {"CANDOUR_VAR_DIR": str(imported)},
        log=log,
        timeout=3600,
    )
    print(f"Inserting the same {written:,} lines with a raw executemany INSERT ...", flush=True)
    raw_seconds = _raw_insert(raw / "candour.sqlite3", export)
    for copy in (imported, raw):
        stored = _stored(copy / "candour.sqlite3")
        if stored != before + written:
            raise RuntimeError(f"{copy.name} holds {stored - before:,} new lines of {written:,}.")
    _check_balances(imported / "candour.sqlite3")

    name = f"import {written:,} CD register lines (manage.py import_register_entries)"
    reference = "raw executemany INSERT, same rows, same database"
    ours, theirs = written / timed.seconds, written / raw_seconds
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


def _pairs(db: sqlite3.Connection) -> list[dict]:
    """Each station's safe and vehicle parts of one drug, where they stand, and the crew who keep them."""
    parts = db.execute(
        """
        SELECT part.id, premises.name, premises.kind, unit.id, unit.code, drug.name, drug.strength, drug.form,
               COALESCE((SELECT SUM(e.change) FROM medicines_registerentry e WHERE e.part_id = part.id), 0),
               COALESCE((SELECT MAX(e.sequence) FROM medicines_registerentry e WHERE e.part_id = part.id), 0)
        FROM medicines_registerpart part
        JOIN medicines_premises premises ON premises.id = part.premises_id
        JOIN people_orgunit unit ON unit.id = premises.unit_id
        JOIN medicines_controlleddrug drug ON drug.id = part.drug_id
        ORDER BY part.id
        """
    ).fetchall()
    crews = defaultdict(set)
    for unit_id, staff_number in db.execute(
        """
        SELECT DISTINCT premises.unit_id, person.staff_number
        FROM medicines_registerentry e
        JOIN medicines_registerpart part ON part.id = e.part_id
        JOIN medicines_premises premises ON premises.id = part.premises_id
        JOIN people_user u ON u.id = e.recorded_by_id
        JOIN people_person person ON person.id = u.person_id
        WHERE e.kind = 'administered'
        """
    ):
        crews[unit_id].add(staff_number)
    by_place = defaultdict(dict)
    for part_id, name, kind, unit_id, code, drug, strength, form, balance, last in parts:
        by_place[(unit_id, drug, strength, form)][kind] = {
            "part": part_id,
            "premises": name,
            "code": code,
            "balance": balance,
            "line": last,
        }
    pairs = []
    for (unit_id, drug, strength, form), places in sorted(by_place.items()):
        if "safe" in places and "vehicle" in places and len(crews[unit_id]) >= 2:
            drug_of = {"drug": drug, "strength": strength, "form": form}
            pairs.append({**places, **drug_of, "crew": sorted(crews[unit_id])})
    if not pairs:
        raise RuntimeError("The seeded trust has no station with a safe, a vehicle and a crew to record.")
    return pairs


def write_register_file(database: Path, export: Path, *, entries: int, seed: int = 2026) -> int:
    """About `entries` lines over the last year, following on from each part's stored lines; returns how
    many were written."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as db:
        pairs = _pairs(db)
    first_day = dt.date.today() - dt.timedelta(days=366)
    written = 0
    with export.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER, restval="")
        writer.writeheader()

        def line(pair, place, kind, quantity, day, by, **more):
            nonlocal written
            held = pair[place]
            held["line"] += 1
            held["balance"] += quantity if kind in ("received", "transferred_in") else -quantity
            at = f"{day.isoformat()}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
            writer.writerow(
                {
                    "station_code": held["code"],
                    "premises": held["premises"],
                    "drug": pair["drug"],
                    "strength": pair["strength"],
                    "form": pair["form"],
                    "line": held["line"],
                    "kind": kind,
                    "occurred_on": day.isoformat(),
                    "recorded_at": at,
                    "recorded_by": by,
                    "quantity": quantity,
                    **more,
                }
            )
            written += 1

        step = 0
        while written < entries:
            pair = pairs[step % len(pairs)]
            day = first_day + dt.timedelta(days=written * 365 // entries)
            by, witness = rng.sample(pair["crew"], 2)
            step += 1
            if pair["vehicle"]["balance"] > 0:
                incident = f"BENCH-{step}"
                if rng.random() < WASTED_SHARE:
                    line(
                        pair,
                        "vehicle",
                        "wasted",
                        1,
                        day,
                        by,
                        witness=witness,
                        dose="10 mg",
                        incident_reference=incident,
                    )
                else:
                    line(
                        pair,
                        "vehicle",
                        "administered",
                        1,
                        day,
                        by,
                        incident_reference=incident,
                        authority="JRCALC paramedic exemption",
                        dose="10 mg",
                    )
            elif pair["safe"]["balance"] >= TOP_UP:
                reference = f"BENCH-T-{step}"
                for place, other, kind in (
                    ("safe", "vehicle", "transferred_out"),
                    ("vehicle", "safe", "transferred_in"),
                ):
                    line(
                        pair,
                        place,
                        kind,
                        TOP_UP,
                        day,
                        by,
                        witness=witness,
                        transfer_reference=reference,
                        other_station_code=pair[other]["code"],
                        other_premises=pair[other]["premises"],
                    )
            else:
                line(
                    pair,
                    "safe",
                    "received",
                    RECEIPT,
                    day,
                    by,
                    party_name="Northmoor pharmacy",
                    party_address="1 Infirmary Road, Northmoor",
                    batch="BENCH1",
                    expires_on="2030-12-31",
                )
    return written


def _stored(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM medicines_registerentry").fetchone()[0]


def _check_balances(database: Path) -> None:
    """Every part's balance after its last line is the sum of its lines, with no line number missing."""
    with sqlite3.connect(database) as db:
        wrong = db.execute(
            """
            SELECT count(*) FROM (
                SELECT part_id, SUM(change) AS total, MAX(sequence) AS last, COUNT(*) AS lines
                FROM medicines_registerentry GROUP BY part_id
            ) parts
            JOIN medicines_registerentry e ON e.part_id = parts.part_id AND e.sequence = parts.last
            WHERE e.balance_after != parts.total OR parts.lines != parts.last
            """
        ).fetchone()[0]
    if wrong:
        raise RuntimeError(f"{wrong} register parts do not add up after the import.")


def _raw_insert(database: Path, export: Path) -> float:
    """Seconds to read the file and insert its lines in one transaction: ids looked up, each line's change
    and balance a running sum, and nothing checked."""
    db = sqlite3.connect(database)
    try:
        premises = {
            (code, name): pk
            for pk, code, name in db.execute(
                "SELECT p.id, u.code, p.name FROM medicines_premises p "
                "JOIN people_orgunit u ON u.id = p.unit_id"
            )
        }
        parts = {
            (premises_id, name, strength, form): (pk, balance)
            for pk, premises_id, name, strength, form, balance in db.execute(
                "SELECT part.id, part.premises_id, d.name, d.strength, d.form, "
                "COALESCE((SELECT SUM(change) FROM medicines_registerentry e WHERE e.part_id = part.id), 0) "
                "FROM medicines_registerpart part JOIN medicines_controlleddrug d ON d.id = part.drug_id"
            )
        }
        people = dict(
            db.execute(
                "SELECT p.staff_number, u.id FROM people_user u JOIN people_person p ON p.id = u.person_id"
            )
        )
        started = time.perf_counter()
        balances = {pk: balance for pk, balance in parts.values()}
        values = []
        with export.open(newline="") as rows:
            for row in csv.DictReader(rows):
                premises_id = premises[(row["station_code"], row["premises"])]
                part_id, _ = parts[(premises_id, row["drug"], row["strength"], row["form"])]
                quantity = int(row["quantity"])
                change = quantity if row["kind"] in ("received", "transferred_in") else -quantity
                balances[part_id] += change
                witness = people.get(row["witness"]) if row["witness"] else None
                other = (
                    premises[(row["other_station_code"], row["other_premises"])]
                    if row["other_premises"]
                    else None
                )
                transfer = uuid.uuid5(uuid.NAMESPACE_URL, row["transfer_reference"]).hex if other else None
                values.append(
                    (
                        uuid.uuid4().hex,
                        part_id,
                        int(row["line"]),
                        row["kind"],
                        row["occurred_on"],
                        row["recorded_at"],
                        people[row["recorded_by"]],
                        quantity,
                        change,
                        balances[part_id],
                        row["party_name"],
                        row["party_address"],
                        row["incident_reference"],
                        row["authority"],
                        row["dose"],
                        row["batch"],
                        row["expires_on"] or None,
                        row["collected_by"],
                        transfer,
                        other,
                        witness,
                        row["recorded_at"] if witness else None,
                        False,
                        "",
                        row["remarks"],
                    )
                )
        with db:
            db.executemany(
                "INSERT INTO medicines_registerentry (public_id, part_id, sequence, kind, occurred_on, "
                "recorded_at, recorded_by_id, quantity, change, balance_after, party_name, party_address, "
                "incident_reference, authority, dose, batch, expires_on, collected_by, transfer_id, "
                "other_premises_id, witness_id, witness_confirmed_at, is_late, late_reason, remarks) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return time.perf_counter() - started
    finally:
        db.close()


def register_scenarios(*, var_dir: Path, reference: str) -> list[load.Scenario]:
    """The busiest register part's page for the medicines lead: every line, then its last whole month."""
    with sqlite3.connect(var_dir / "candour.sqlite3") as db:
        busiest = db.execute(
            "SELECT part.public_id, COUNT(*) AS lines, MAX(e.occurred_on) FROM medicines_registerentry e "
            "JOIN medicines_registerpart part ON part.id = e.part_id "
            "GROUP BY part.id ORDER BY lines DESC LIMIT 1"
        ).fetchone()
    if busiest is None:
        return []
    public_id, lines, last = busiest
    path = f"/medicines/registers/{uuid.UUID(public_id)}/"
    month_end = dt.date.fromisoformat(last).replace(day=1) - dt.timedelta(days=1)
    month = f"?starts_on={month_end.replace(day=1).isoformat()}&ends_on={month_end.isoformat()}"
    return [
        load.Scenario(
            f"CD register, busiest part ({lines:,} lines)", path, user=MEDICINES_LEAD, reference=reference
        ),
        load.Scenario(
            f"CD register, busiest part, {month_end:%B %Y}",
            path + month,
            user=MEDICINES_LEAD,
            reference=reference,
        ),
    ]


def concurrent_rows(
    *, log: Path, writers: int = WRITERS, writes: int = WRITES_PER_WRITER
) -> list[tuple[str, str, str, str]]:
    """Entries per second with `writers` processes recording at once on PostgreSQL, and what was lost."""
    with scratch_database("bench_medicines") as url:
        env = processes.app_environment(Path(tempfile.mkdtemp(prefix="candour-bench-cd-"))) | {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "candour.settings",
        }
        print("Migrating a scratch PostgreSQL database for concurrent recording ...", flush=True)
        processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=900)
        print(f"Recording with {writers} writers at once, {writes} entries each ...", flush=True)
        with log.open("ab") as err:
            finished = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.cd_writers",
                    "--writers",
                    str(writers),
                    "--writes",
                    str(writes),
                ],
                cwd=processes.ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=err,
                timeout=1800,
                check=False,
            )
        if finished.returncode != 0:
            raise RuntimeError(f"bench.cd_writers failed ({finished.returncode}); see {log}")
        outcome = json.loads(finished.stdout.decode().strip().splitlines()[-1])
    if outcome["problems"]:
        raise RuntimeError(f"A writer was refused or failed: {outcome['problems']}")
    name = f"record CD entries, {writers} writers at once on PostgreSQL ({outcome['parts']} parts)"
    lost = outcome["recorded"] - outcome["stored"]
    return [
        (f"{name}: throughput", f"{outcome['recorded'] / outcome['seconds']:,.0f} entries/s", "—", "—"),
        (
            f"{name}: entries lost",
            f"{lost} of {outcome['recorded']:,} (parts that do not add up: {outcome['parts_wrong']})",
            "0",
            "—",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.medicines", description=__doc__)
    parser.add_argument("--entries", type=int, default=ENTRIES, help=f"register lines (default: {ENTRIES:,})")
    parser.add_argument("--scale", default="demo", help="seed_demo scale (default: demo)")
    parser.add_argument("--seconds", type=float, default=5, help="timed seconds per page (default: 5)")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--writers", type=int, default=WRITERS)
    parser.add_argument("--writes", type=int, default=WRITES_PER_WRITER, help="entries per writer")
    options = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="candour-bench-") as temporary:
        var_dir = Path(temporary)
        env = processes.app_environment(var_dir)
        log = var_dir / "bench.log"
        try:
            print(
                f"Migrating a fresh SQLite database, then seed_demo --scale {options.scale} ...", flush=True
            )
            processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=600)
            processes.manage("seed_demo", "--scale", options.scale, env=env, log=log, timeout=3600)
            rows += import_rows(var_dir=var_dir, env=env, log=log, entries=options.entries)
            rows += _page_rows(var_dir, env, log, options)
            rows += concurrent_rows(log=log, writers=options.writers, writes=options.writes)
        except RuntimeError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 1
    print_rows(rows)
    return 0


def _page_rows(var_dir: Path, env: dict[str, str], log: Path, options) -> list[tuple[str, str, str, str]]:
    health = load.Scenario("bare health view", "/health/")
    scenarios = register_scenarios(var_dir=var_dir, reference=health.name)
    password = os.environ.get("CANDOUR_DEMO_PASSWORD", "northmoor-demo-password")
    rows = []
    with processes.gunicorn(env=env, workers=2, log=log) as base_url:
        anonymous = [load.Client(base_url) for _ in range(options.clients)]
        lead = [load.Client(base_url) for _ in range(options.clients)]
        for client in lead:
            client.sign_in(MEDICINES_LEAD, password)
        load.run(health, anonymous, seconds=1)
        bare = load.run(health, anonymous, seconds=options.seconds)
        for scenario in scenarios:
            load.run(scenario, lead, seconds=1)
            result = load.run(scenario, lead, seconds=options.seconds)
            if result.errors or not result.latencies:
                raise RuntimeError(
                    f"{scenario.name}: {len(result.errors)} requests failed, e.g. {result.errors[:1]}"
                )
            for label, p in (("p50", 50), ("p95", 95)):
                ours, theirs = result.percentile(p) * 1000, bare.percentile(p) * 1000
                rows.append(
                    (
                        f"{scenario.name} ({scenario.path}): {label} latency",
                        f"{ours:.1f} ms",
                        f"{theirs:.1f} ms (/health/)",
                        f"{ours / theirs:.2f}x",
                    )
                )
    return rows


if __name__ == "__main__":
    sys.exit(main())
