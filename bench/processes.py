"""Child processes for the benchmark: the app's own commands, timed, and a gunicorn server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def app_environment(var_dir: Path) -> dict[str, str]:
    """A development profile on a fresh SQLite file in `var_dir`, served as if in production (DEBUG off)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        CANDOUR_VAR_DIR=str(var_dir),
        CANDOUR_ENV="development",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss_bytes: int


def manage(*args: str, env: dict[str, str], log: Path, timeout: float) -> Timed:
    """Run `manage.py args` to completion; its wall time and its own peak memory.

    os.wait4 gives this one child's resource use; RUSAGE_CHILDREN would be the largest of every child so far.
    """
    with log.open("ab") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                raise RuntimeError(f"manage.py {' '.join(args)} took over {timeout:.0f} s; see {log}")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({process.returncode}):\n{_tail(log)}")
    # Linux reports ru_maxrss in kilobytes.
    return Timed(seconds, usage.ru_maxrss * 1024)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(*, env: dict[str, str], workers: int, log: Path, ready_timeout: float = 30):
    """gunicorn serving candour.wsgi on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "candour.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(server, base_url, ready_timeout, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_healthy(server: subprocess.Popen, base_url: str, timeout: float, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{_tail(log)}")
        try:
            with opener.open(base_url + "/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
