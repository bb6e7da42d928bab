"""Start-up: what every process pays before it does any work, shown by `manage.py spc` on a two-line file.

Each command runs several times; the table gives the median wall time and the median CPU time (user and
system, of that child alone), beside `django.setup()` on its own and a bare `python -c pass` measured in the
same run, so the ratios say what Candour's own imports cost on this machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.processes import ROOT

RUNS = 5
DJANGO_SETUP = "import django; django.setup()"
TWO_LINES = "Metric,Date,Value\nCalls answered,2026-01-01,42\n"


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU seconds over RUNS, after one run that is not counted (it warms the disk cache)."""
    _once(argv, env)
    runs = [_once(argv, env) for _ in range(RUNS)]
    return statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs)


def startup_rows(*, var_dir: Path, env: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table."""
    sample = var_dir / "two-lines.csv"
    sample.write_text(TWO_LINES)
    env = env | {"DJANGO_SETTINGS_MODULE": "candour.settings"}
    print(f"Timing start-up: manage.py spc on a two-line file, {RUNS} runs each ...", flush=True)
    bare = measure([sys.executable, "-c", "pass"], env)
    setup = measure([sys.executable, "-c", DJANGO_SETUP], env)
    spc = measure([sys.executable, "manage.py", "spc", str(sample)], env)
    rows = []
    for index, kind in enumerate(("wall", "CPU")):
        rows.append(
            _row(f"start-up, {kind}: django.setup() alone", setup[index], bare[index], "python -c pass")
        )
        rows.append(
            _row(
                f"start-up, {kind}: manage.py spc on a two-line file",
                spc[index],
                setup[index],
                "django.setup()",
            )
        )
    return rows


def _row(name: str, value: float, reference: float, reference_name: str) -> tuple[str, str, str, str]:
    return (name, f"{value:.2f} s", f"{reference:.2f} s ({reference_name})", f"{value / reference:.1f}x")
