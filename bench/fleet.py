"""The fleet at trust scale (issue 15): "what is overdue" across the register (about 400 vehicles and 20,000
assets with five years of maintenance history) for the fleet lead, by station and as the list of every
overdue asset, and the vehicle check page a crew opens on a phone at the start of a shift; each timed beside
the bare health view on the same server.

`make bench` adds these to its table. Alone, on a database of its own (a small one by default):

    python -m bench.fleet --scale demo --seconds 5
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import uuid
from pathlib import Path

from bench import load, processes
from bench.table import print_rows

FLEET_LEAD = "fleet.lead@northmoor.example"
# The demo's crew member, at its home station at every scale.
CREW = "staff@northmoor.example"
# What a phone's browser sends: the page is the same for it, but the request is as the crew's.
PHONE = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}
HEALTH = "bare health view"
DEMO_PASSWORD = os.environ.get("CANDOUR_DEMO_PASSWORD", "northmoor-demo-password")

_HOME_VEHICLE = """
import os
from pathlib import Path
from candour.fleet.models import Vehicle
from candour.people.models import User
home = User.objects.get(email=os.environ["BENCH_CREW"]).person.station
vehicle = Vehicle.objects.filter(station=home).order_by("call_sign").first()
Path(os.environ["BENCH_ANSWER"]).write_text(str(vehicle.public_id))
"""


def home_vehicle(*, env: dict[str, str], log: Path) -> str:
    """The public id of a vehicle at the crew member's station, in env's database."""
    answer = Path(env["CANDOUR_VAR_DIR"]) / f"{uuid.uuid4().hex}.vehicle"
    asking = env | {"BENCH_CREW": CREW, "BENCH_ANSWER": str(answer)}
    processes.manage("shell", "-c", _HOME_VEHICLE, env=asking, log=log, timeout=300)
    vehicle_id = answer.read_text().strip()
    answer.unlink()
    return vehicle_id


def scenarios(*, env: dict[str, str], log: Path, reference: str) -> list[load.Scenario]:
    vehicle_id = home_vehicle(env=env, log=log)
    return [
        load.Scenario(
            "what is overdue, by station (fleet lead)", "/fleet/", user=FLEET_LEAD, reference=reference
        ),
        load.Scenario(
            "every overdue asset, first page (fleet lead)",
            "/fleet/overdue/",
            user=FLEET_LEAD,
            reference=reference,
        ),
        load.Scenario(
            "vehicle check page on a phone (crew)",
            f"/fleet/vehicles/{vehicle_id}/check/",
            user=CREW,
            reference=reference,
            headers=PHONE,
        ),
    ]


def register_rows(*, var_dir: Path) -> list[tuple[str, str, str, str]]:
    """The size of the register the pages were timed on, so the figures say what they are of."""
    with sqlite3.connect(var_dir / "candour.sqlite3") as database:
        counts = [
            database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "fleet_vehicle",
                "fleet_asset",
                "fleet_maintenanceschedule",
                "fleet_maintenanceresult",
            )
        ]
        first, last = database.execute(
            "SELECT MIN(done_on), MAX(done_on) FROM fleet_maintenanceresult"
        ).fetchone()
    vehicles, assets, schedules, results = counts
    return [
        (
            "fleet register timed",
            f"{vehicles:,} vehicles, {assets:,} assets, {schedules:,} schedules, "
            f"{results:,} results from {first} to {last}",
            "—",
            "—",
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet", description=__doc__)
    parser.add_argument("--scale", default="demo", help="seed_demo scale (default: demo; make bench: trust)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="candour-bench-fleet-") as temporary:
        var_dir = Path(temporary)
        env = processes.app_environment(var_dir)
        log = var_dir / "bench.log"
        try:
            print(f"Migrating, then seed_demo --scale {options.scale} ...", flush=True)
            processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=600)
            seeded = processes.manage(
                "seed_demo",
                "--seed",
                str(options.seed),
                "--scale",
                options.scale,
                env=env,
                log=log,
                timeout=3600,
            )
            rows = [(f"seed_demo --scale {options.scale}: wall time", f"{seeded.seconds:.1f} s", "—", "—")]
            rows += register_rows(var_dir=var_dir)
            timed = [load.Scenario(HEALTH, "/health/"), *scenarios(env=env, log=log, reference=HEALTH)]
            results = _time(timed, env=env, log=log, clients=options.clients, seconds=options.seconds)
        except RuntimeError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 1
    health = results[HEALTH]
    for result in results.values():
        for label, p in (("p50", 50), ("p95", 95)):
            value, baseline = result.percentile(p) * 1000, health.percentile(p) * 1000
            rows.append(
                (
                    f"{result.scenario.name}: {label} latency",
                    f"{value:.1f} ms",
                    f"{baseline:.1f} ms (/health/)",
                    f"{value / baseline:.2f}x",
                )
            )
    print_rows(rows)
    failed = [error for result in results.values() for error in result.errors]
    if failed:
        print(f"{len(failed)} request(s) failed, e.g. {failed[0]}", file=sys.stderr)
        return 1
    return 0


def _time(timed: list[load.Scenario], *, env, log, clients: int, seconds: float) -> dict[str, load.Result]:
    results = {}
    with processes.gunicorn(env=env, workers=2, log=log) as base_url:
        for scenario in timed:
            sessions = [load.Client(base_url) for _ in range(clients)]
            if scenario.user:
                for client in sessions:
                    client.sign_in(scenario.user, DEMO_PASSWORD)
            print(f"Timing {scenario.name} for {seconds:.0f} s ...", flush=True)
            load.run(scenario, sessions, seconds=min(1.0, seconds))  # warm the workers; not counted
            results[scenario.name] = load.run(scenario, sessions, seconds=seconds)
    return results


if __name__ == "__main__":
    sys.exit(main())
