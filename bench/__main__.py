"""`make bench`: seed a trust-year of synthetic data, then time pages on gunicorn, each beside a reference.

Prints a Markdown table and writes it to bench/results/latest.md. Add a page by adding a Scenario.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import urllib.error
from dataclasses import dataclass
from pathlib import Path

from bench import (
    api,
    apprentices,
    catalogue,
    fleet,
    load,
    medicines,
    operations,
    processes,
    records,
    reports,
    startup,
    training,
)

DEMO_PASSWORD = os.environ.get("CANDOUR_DEMO_PASSWORD", "northmoor-demo-password")
HEALTH = "bare health view"
HOME = "home page"

LEAD = "safeguarding.lead@northmoor.example"
EDUCATION_LEAD = "education.lead@northmoor.example"
# A simple kind of concern, raised openly through the real form (each request records a new concern).
CONCERN_FORM = {
    "subject_type": "process",
    "narrative": "The rest room heating has failed again.",
    "identity": "open",
}

# Each page is compared with a bare view on the same server, measured the same way, so that the ratio says
# what the page costs beyond Django, the server and this machine.
SCENARIOS = [
    load.Scenario(HEALTH, "/health/"),
    load.Scenario(HOME, "/", user="operations.manager@northmoor.example", reference=HEALTH),
    load.Scenario(
        "raise a concern (POST)",
        "/speak-up/worker_wellbeing/",
        user="staff@northmoor.example",
        reference=HEALTH,
        form=CONCERN_FORM,
        lands_under="/speak-up/mine/",  # post, then redirect to the concern just sent
    ),
    load.Scenario("triage inbox", "/cases/", user=LEAD, reference=HEALTH),
    load.Scenario(
        "guardian's quarterly return", "/speak-up/reports/guardian-return/", user=LEAD, reference=HEALTH
    ),
    load.Scenario("speak-up themes", "/speak-up/reports/themes/", user=LEAD, reference=HEALTH),
    load.Scenario(
        "training compliance by area", "/training/compliance/", user=EDUCATION_LEAD, reference=HEALTH
    ),
    load.Scenario(
        "training compliance by station",
        "/training/compliance/?grouping=station",
        user=EDUCATION_LEAD,
        reference=HEALTH,
    ),
    load.Scenario(
        "operations overview", "/operations/", user="operations.manager@northmoor.example", reference=HEALTH
    ),
    load.Scenario("records overview", "/records/", user="clinical.audit@northmoor.example", reference=HEALTH),
]
SCENARIOS += catalogue.scenarios(HEALTH)
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    reference: str = "—"
    ratio: str = "—"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", default="trust", help="seed_demo scale (default: trust)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default: 10)")
    parser.add_argument("--seconds", type=float, default=20, help="timed seconds per page (default: 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default: 2)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="candour-bench-") as temporary:
        var_dir = Path(temporary)
        env = processes.app_environment(var_dir)
        log = var_dir / "bench.log"
        # The rows measured so far are kept however the run ends: a failure an hour in still reports them.
        rows: list[Row] = []
        results: list[load.Result] = []
        stopped = ""
        try:
            _run(options, env, log, rows, results)
        except (RuntimeError, OSError) as error:
            stopped = f"{type(error).__name__}: {error}"

    report = _report(options, rows)
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)
    if stopped:
        print(f"bench failed part-way ({stopped}); the table holds what it measured first.", file=sys.stderr)
        return 1
    errors = [(result.scenario.name, error) for result in results for error in result.errors]
    if errors:
        print(f"{len(errors)} request(s) failed, e.g. {errors[0]}: the figures above are not trustworthy.")
        return 1
    return 0


def _run(options, env: dict[str, str], log, rows: list[Row], finished: list[load.Result]) -> None:
    """Measure everything, adding to `rows` and `finished` as each figure is known."""
    rows += [Row(*row) for row in startup.startup_rows(var_dir=Path(env["CANDOUR_VAR_DIR"]), env=env)]
    seed_label = f"seed_demo --scale {options.scale}"
    print(f"Migrating a fresh SQLite database, then {seed_label} ...", flush=True)
    processes.manage("migrate", "--no-input", "--verbosity", "0", env=env, log=log, timeout=600)
    var_dir = Path(env["CANDOUR_VAR_DIR"])
    rows += [
        Row(*row)
        for row in apprentices.apprentice_demo_rows(
            migrated=var_dir / "candour.sqlite3", var_dir=var_dir, env=env
        )
    ]
    seeded = processes.manage(
        "seed_demo", "--seed", str(options.seed), "--scale", options.scale, env=env, log=log, timeout=3600
    )
    rows += [
        Row(f"{seed_label}: wall time", f"{seeded.seconds:.1f} s"),
        Row(f"{seed_label}: peak memory (RSS)", f"{seeded.peak_rss_bytes / 2**20:.0f} MiB"),
    ]
    rows += [
        Row(*row) for row in training.import_rows(var_dir=Path(env["CANDOUR_VAR_DIR"]), env=env, log=log)
    ]
    rows += [Row(*row) for row in records.import_rows(var_dir=Path(env["CANDOUR_VAR_DIR"]), env=env, log=log)]
    rows += [Row(*row) for row in api.submission_rows(var_dir=Path(env["CANDOUR_VAR_DIR"]), env=env, log=log)]
    rows += [Row(*row) for row in medicines.import_rows(var_dir=var_dir, env=env, log=log)]
    rows += [Row(*row) for row in catalogue.refresh_rows(env=env, log=log)]
    rows += [Row(*row) for row in operations.refresh_rows(env=env, log=log, label=seed_label)]
    rows += [Row(*row) for row in operations.import_rows(var_dir=var_dir, env=env, log=log)]
    rows += [Row(*row) for row in operations.arp_rows(var_dir=var_dir, log=log)]
    rows += [
        Row(*row) for row in reports.board_report_rows(var_dir=Path(env["CANDOUR_VAR_DIR"]), env=env, log=log)
    ]

    scenarios = [*SCENARIOS, api.series_scenario(env=env, log=log, reference=HEALTH)]
    scenarios += medicines.register_scenarios(var_dir=var_dir, reference=HEALTH)
    scenarios += fleet.scenarios(env=env, log=log, reference=HEALTH)
    rows += [Row(*row) for row in fleet.register_rows(var_dir=var_dir)]
    results: dict[str, load.Result] = {}
    with processes.gunicorn(env=env | api.SERVED_ENV, workers=options.workers, log=log) as base_url:
        sessions: dict[str | None, list[load.Client]] = {}
        for scenario in scenarios:
            try:
                result = _time_scenario(scenario, base_url, sessions, options)
            except OSError as error:
                # A page too slow to answer in time (or a server gone) is a finding, not the end of the run.
                print(f"Could not time {scenario.name}: {error}", flush=True)
                rows.append(Row(f"{scenario.name} ({scenario.path})", f"not timed: {error}"))
                continue
            if result is not None:
                results[scenario.name] = result
                finished.append(result)
                rows.extend(_latency_rows(result, results.get(result.scenario.reference)))
        # Last, as it adds its rows to the database being served.
        if HOME in results:
            home = results[HOME]
            rows += [
                Row(*row)
                for row in training.import_while_serving_rows(
                    var_dir=Path(env["CANDOUR_VAR_DIR"]),
                    env=env,
                    log=log,
                    scenario=home.scenario,
                    clients=sessions[home.scenario.user],
                    without=home,
                )
            ]
    rows += [Row(*row) for row in medicines.concurrent_rows(log=log)]


def _time_scenario(scenario, base_url: str, sessions: dict, options) -> load.Result | None:
    """The scenario timed with its user's clients (signed in at their first scenario); None when this build
    does not serve its page."""
    if scenario.user not in sessions:
        sessions[scenario.user] = _clients(base_url, scenario.user, options.clients)
    clients = sessions[scenario.user]
    if not _served(clients[0], scenario.path):
        print(f"Skipping {scenario.name}: {scenario.path} is not served (404) in this build.", flush=True)
        return None
    print(f"Timing {scenario.name} ({scenario.path}) for {options.seconds:.0f} s ...", flush=True)
    load.run(scenario, clients, seconds=min(2.0, options.seconds))  # warm the workers; not counted
    return load.run(scenario, clients, seconds=options.seconds)


def _served(client: load.Client, path: str) -> bool:
    """False only when the page does not exist yet, so a scenario can be added before its page."""
    try:
        client.get(path)
    except urllib.error.HTTPError as error:
        return error.code != 404
    return True


def _clients(base_url: str, user: str | None, count: int) -> list[load.Client]:
    clients = [load.Client(base_url) for _ in range(count)]
    if user:
        for client in clients:
            client.sign_in(user, DEMO_PASSWORD)
    return clients


MEASURES = [
    ("p50 latency", "ms", lambda result: result.percentile(50) * 1000),
    ("p95 latency", "ms", lambda result: result.percentile(95) * 1000),
    ("throughput", "req/s", lambda result: result.per_second),
]


def _latency_rows(result: load.Result, reference: load.Result | None) -> list[Row]:
    name = f"{result.scenario.name} ({result.scenario.path})"
    if not result.latencies:
        return [Row(name, "no request succeeded")]
    if reference is not None and not reference.latencies:
        reference = None
    rows = []
    for label, unit, measure in MEASURES:
        value = measure(result)
        if reference is None:
            rows.append(Row(f"{name}: {label}", f"{value:.1f} {unit}"))
        else:
            baseline = measure(reference)
            rows.append(
                Row(
                    f"{name}: {label}",
                    f"{value:.1f} {unit}",
                    f"{baseline:.1f} {unit} ({reference.scenario.path})",
                    f"{value / baseline:.2f}x",
                )
            )
    return rows


def _report(options, rows: list[Row]) -> str:
    lines = [
        f"# Candour benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{options.clients} concurrent clients for {options.seconds:.0f} s per page, gunicorn with "
        f"{options.workers} workers on loopback, SQLite; Python {platform.python_version()} on "
        f"{os.cpu_count()} CPUs. Ratio = value / reference.",
        "",
        "| measure | value | reference | ratio |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {row.measure} | {row.value} | {row.reference} | {row.ratio} |" for row in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
