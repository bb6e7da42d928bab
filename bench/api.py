"""The integration API at scale (ADR 0029).

100,000 training records through the API, taken by gunicorn and imported by the task worker
(`manage.py db_worker`), beside the same rows through the file import (`manage.py import_training`): each on
its own copy of the seeded trust, timed from the first request's first byte to every submission reading
"done". The rows go as two submissions of 50,000, as the integration guide tells a system to: one body of
100,000 rows (about 13 MB) is over the API's body limit (8 MB) and Django's in-memory limit for a body
(10 MB), which every view shares.

And a key for the served database, so that the measure series endpoint is timed like any page, with its
rate limit (a setting) raised past what ten clients ask for in the bench's seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from bench import load, processes, training

ROWS = 100_000
PROVIDER = "Bench API submission"
FEED = "/api/v1/feeds/training-records"
SERIES_MEASURE = "learning.safeguarding_children_l3_compliance"
PER_SUBMISSION = 50_000
DONE_WITHIN_SECONDS = 3600
# The series scenario's ten clients ask far more often than a real one would; the limit is a setting.
SERVED_ENV = {"CANDOUR_API_CALLS_PER_WINDOW": "1000000"}

_ISSUE_KEY = """
import os
from candour.api import services
from candour.api.scopes import KeyScope
from candour.people.models import OrgUnit, User

trust = OrgUnit.objects.get(kind=OrgUnit.Kind.TRUST, parent=None)
admin = User.objects.get(email="system.admin@northmoor.example")
name = os.environ["BENCH_KEY_NAME"]
integration = services.create_integration(
    by=admin, trust=trust, name=name, owner="Bench", contact="bench@test.example"
)
issued = services.issue_key(by=admin, integration=integration, scopes=KeyScope.values, units=[trust])
with open(os.environ["BENCH_KEY_FILE"], "w") as out:
    out.write(f"{issued.text}\\n{trust.public_id}\\n")
"""


def issue_key(*, env: dict[str, str], log: Path, name: str) -> tuple[str, str]:
    """(a key with every scope over the whole trust, the trust's public id), issued in env's database."""
    answer = Path(env["CANDOUR_VAR_DIR"]) / f"{uuid.uuid4().hex}.key"
    asking = env | {"BENCH_KEY_NAME": name, "BENCH_KEY_FILE": str(answer)}
    processes.manage("shell", "-c", _ISSUE_KEY, env=asking, log=log, timeout=300)
    text, trust_id = answer.read_text().split()
    answer.unlink()
    return text, trust_id


def series_scenario(*, env: dict[str, str], log: Path, reference: str) -> load.Scenario:
    """The measure series endpoint for the whole trust, as an analyst's tool asks for it."""
    text, trust_id = issue_key(env=env, log=log, name="Bench board reporting")
    return load.Scenario(
        "measure series through the API",
        f"/api/v1/measures/{SERIES_MEASURE}/series?unit={trust_id}",
        reference=reference,
        headers={"Authorization": f"Bearer {text}"},
    )


def submission_rows(*, var_dir: Path, env: dict[str, str], log: Path) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table."""
    database = var_dir / "candour.sqlite3"
    export = var_dir / "api-training-records.csv"
    training.write_export(database, export, rows=ROWS, provider=PROVIDER)
    by_file, by_api = var_dir / "api-file-copy", var_dir / "api-copy"
    for copy in (by_file, by_api):
        copy.mkdir()
        training.copy_database(database, copy / "candour.sqlite3")

    print(f"Importing {ROWS:,} training records with manage.py import_training ...", flush=True)
    from_file = processes.manage(
        "import_training", str(export), env=env | {"CANDOUR_VAR_DIR": str(by_file)}, log=log, timeout=3600
    )
    print(f"Sending the same {ROWS:,} rows through the API, imported by the worker ...", flush=True)
    api_env = env | {"CANDOUR_VAR_DIR": str(by_api)}
    text, _ = issue_key(env=api_env, log=log, name="Bench learning system")
    rows = training.export_rows(export)
    bodies = [
        json.dumps({"rows": rows[start : start + PER_SUBMISSION]}).encode()
        for start in range(0, len(rows), PER_SUBMISSION)
    ]
    with processes.gunicorn(env=api_env, workers=1, log=log) as base_url, _Worker(api_env, log):
        api_seconds = _submit_until_done(base_url, text, bodies)
    for copy in (by_file, by_api):
        training.check_stored(copy / "candour.sqlite3", rows=ROWS, provider=PROVIDER)

    name = f"{ROWS:,} training records as {len(bodies)} API submissions (POST, then the worker)"
    reference = "manage.py import_training, same rows"
    return [
        (
            f"{name}: wall time",
            f"{api_seconds:.1f} s",
            f"{from_file.seconds:.1f} s ({reference})",
            f"{api_seconds / from_file.seconds:.2f}x",
        ),
        (f"{name}: largest body", f"{max(map(len, bodies)) / 2**20:.1f} MiB", "—", "—"),
    ]


class _Worker:
    """The task worker, running as in production before the submission arrives; stopped on leaving."""

    def __init__(self, env: dict[str, str], log: Path):
        self._env, self._log = env, log

    def __enter__(self):
        self._out = self._log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"],
            cwd=processes.ROOT,
            env=self._env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()


def _submit_until_done(base_url: str, key: str, bodies: list[bytes]) -> float:
    """Seconds from sending the first body to every submission done."""
    authorised = {"Authorization": f"Bearer {key}"}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.perf_counter()
    locations = []
    for body in bodies:
        headers = authorised | {
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{uuid.uuid4()}",
        }
        request = urllib.request.Request(base_url + FEED, data=body, headers=headers, method="POST")
        with opener.open(request, timeout=600) as response:
            locations.append(response.headers["Location"])
    deadline = started + DONE_WITHIN_SECONDS
    for location in locations:
        while (state := _state(opener, base_url + location, authorised)) in {"waiting", "running"}:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"The API submissions were not done within {DONE_WITHIN_SECONDS} s.")
            time.sleep(0.2)
        if state != "done":
            raise RuntimeError(f"An API submission ended {state}.")
    return time.perf_counter() - started


def _state(opener, url: str, headers: dict[str, str]) -> str:
    with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as response:
        return json.loads(response.read())["state"]
