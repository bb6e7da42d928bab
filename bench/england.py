"""England's scale on PostgreSQL (issue 12): ten trusts' years of CAD incidents, a million each, imported one
trust at a time into one database, so the growth from 1 to 10 million incidents shows in one run.

- Each trust's import (`manage.py import_cad_incidents` of its year's file) is timed. Growth is linear when
  the tenth trust's import takes as long as the first, though the table then holds nine trusts more.
- The operations measures' snapshots are refreshed over the chart span after the first trust and after the
  last. Growth is linear when the last refresh takes ten times the first.

Each ratio is to linear growth: 1.00x is linear, above it is worse. The incidents fall in the twelve months
before this one, inside the chart span, so the refresh counts every one of them.

Not part of `make bench`, as at full size it runs for hours on two cores: `make bench-england`, or
`python -m bench.england --trusts 10 --rows 1000000` (smaller `--rows` for a quicker look at the shape).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import psycopg

from bench import processes
from bench.operations import reference_of, refresh_measures, write_incidents
from bench.postgres import scratch_database
from bench.table import print_rows

TRUSTS = 10
ROWS_PER_TRUST = 1_000_000


def england_rows(
    *, var_dir: Path, log: Path, trusts: int = TRUSTS, rows: int = ROWS_PER_TRUST
) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows: the first and last trusts' imports and refreshes."""
    with scratch_database("bench_england") as url:
        env = processes.app_environment(var_dir) | {"DATABASE_URL": url}
        print("Migrating a scratch PostgreSQL database and seeding the demo trust on it ...", flush=True)
        processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=1800)
        processes.manage("seed_demo", "--snapshot-months", "0", env=env, log=log, timeout=3600)
        with psycopg.connect(url) as db:
            stations, hospitals = reference_of(db)
        first_day = _twelve_months_ago(dt.date.today())
        imports, refreshes = [], []
        for trust in range(1, trusts + 1):
            export = var_dir / "england-trust.csv"
            write_incidents(
                export,
                rows,
                stations=stations,
                hospitals=hospitals,
                first_day=first_day,
                prefix=f"E{trust:02d}",
            )
            print(f"Importing trust {trust} of {trusts}: {rows:,} CAD incidents ...", flush=True)
            timed = processes.manage("import_cad_incidents", str(export), env=env, log=log, timeout=4 * 3600)
            imports.append(timed.seconds)
            _check_stored(url, trust * rows)
            if trust in (1, trusts):
                measures, seconds = refresh_measures(env=env, log=log)
                refreshes.append(seconds)
    return _table(imports, refreshes, measures=measures, trusts=trusts, rows=rows)


def _table(
    imports: list[float], refreshes: list[float], *, measures: int, trusts: int, rows: int
) -> list[tuple[str, str, str, str]]:
    first, last = imports[0], imports[-1]
    total = sum(imports)
    first_refresh, last_refresh = refreshes[0], refreshes[-1]
    linear = "ratio to linear growth, 1.00x is linear"
    return [
        (
            f"England scale (PostgreSQL): import trust {trusts} of {trusts}, {rows:,} incidents into a "
            f"table of {(trusts - 1) * rows:,}",
            f"{last:.1f} s",
            f"{first:.1f} s (trust 1, into an empty table)",
            f"{last / first:.2f}x ({linear})",
        ),
        (
            # Every trust's time, so a trend shows apart from a busy moment on the machine.
            f"England scale (PostgreSQL): each trust's import in turn, {rows:,} incidents each",
            ", ".join(f"{seconds:.0f}" for seconds in imports) + " s",
            "—",
            "—",
        ),
        (
            f"England scale (PostgreSQL): import all {trusts} trusts, {trusts * rows:,} incidents",
            f"{total:.1f} s ({trusts * rows / total:,.0f} rows/s)",
            f"{trusts * first:.1f} s ({trusts} x trust 1's)",
            f"{total / (trusts * first):.2f}x ({linear})",
        ),
        (
            f"England scale (PostgreSQL): refresh {measures} operations measures' snapshots, chart span, "
            f"{trusts * rows:,} incidents",
            f"{last_refresh:.1f} s",
            f"{trusts * first_refresh:.1f} s ({trusts} x the refresh at {rows:,}: {first_refresh:.1f} s)",
            f"{last_refresh / (trusts * first_refresh):.2f}x ({linear})",
        ),
    ]


def _twelve_months_ago(today: dt.date) -> dt.date:
    """The first day of the month a year before this one: twelve whole months, all inside the chart span."""
    return dt.date(today.year - 1, today.month, 1)


def _check_stored(url: str, expected: int) -> None:
    with psycopg.connect(url) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM operations_cadincident WHERE incident_id LIKE 'E%'"
        ).fetchone()
    if count != expected:
        raise RuntimeError(f"The imports stored {count:,} of {expected:,} incidents.")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.england", description=__doc__)
    parser.add_argument("--trusts", type=int, default=TRUSTS)
    parser.add_argument("--rows", type=int, default=ROWS_PER_TRUST, help="incidents per trust")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="candour-bench-england-") as temporary:
        var_dir = Path(temporary)
        log = var_dir / "bench.log"
        try:
            rows = england_rows(var_dir=var_dir, log=log, trusts=options.trusts, rows=options.rows)
        except RuntimeError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 1
    print_rows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
