"""The apprenticeships part of the demo at trust scale (661 apprentices from the roster and the demo's own),
beside the people part it stands on, both built in one child process on a copy of the freshly migrated
database. It was a timed test once; a time belongs here, as a ratio to a reference from the same run."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.processes import ROOT

CHILD = """
import datetime as dt, json, random, time
from django.db import transaction
from candour.core.demo import SCALES, DemoContext
from candour.learning.demo import apprenticeships
from candour.learning.models import Apprenticeship
from candour.people import demo as people_demo

context = DemoContext(2026, SCALES["trust"], dt.date(2026, 11, 22), random.Random(2026), "bench-password")
with transaction.atomic():
    started = time.perf_counter()
    people_demo.build(context)
    people = time.perf_counter() - started
    started = time.perf_counter()
    apprenticeships.build(context)
    built = time.perf_counter() - started
    print(json.dumps({"people": people, "apprenticeships": built, "count": Apprenticeship.objects.count()}))
"""


def apprentice_demo_rows(
    *, migrated: Path, var_dir: Path, env: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows; `migrated` is the migrated, still empty, database file."""
    copy = var_dir / "apprentice-demo"
    copy.mkdir()
    with sqlite3.connect(migrated) as original, sqlite3.connect(copy / "candour.sqlite3") as target:
        original.backup(target)
    print("Building the people and apprenticeships demo at trust scale ...", flush=True)
    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHILD],
        cwd=ROOT,
        env=env | {"CANDOUR_VAR_DIR": str(copy)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the apprenticeships demo failed:\n{finished.stderr[-3000:]}")
    timings = json.loads(finished.stdout.strip().splitlines()[-1])
    people, built = timings["people"], timings["apprenticeships"]
    return [
        (
            f"apprenticeships demo at trust scale ({timings['count']} apprenticeships): wall time",
            f"{built:.2f} s",
            f"{people:.2f} s (the people demo it stands on)",
            f"{built / people:.2f}x",
        )
    ]
