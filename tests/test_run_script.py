"""`make run`: it says what it is doing while it sets up, and a task worker or scheduler that dies is started
again while the web server keeps serving (scripts/run.sh, run for real on a migrated SQLite file)."""

import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import migrate

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 120
COMMANDS = {"Task worker": "db_worker", "Scheduler": "run_scheduler"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _started_with(marker: str) -> list[int]:
    """Every process of ours whose environment carries `marker`, orphans included."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class RunningCandour:
    """scripts/run.sh in its own process group, its output read line by line."""

    def __init__(self, env: dict[str, str], address: str) -> None:
        self.address = address
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: re.Pattern) -> re.Match:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if match := pattern.search(line):
                return match
        raise AssertionError(
            f"no line matched {pattern.pattern!r}; the script said:\n" + "\n".join(self.seen)
        )

    def descendants(self) -> dict[int, str]:
        """Every process under the script, by pid, with its command line (from /proc)."""
        parents, commands = {}, {}
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
                commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (ValueError, OSError, IndexError):
                continue
        found, pending = {}, [self.process.pid]
        while pending:
            parent = pending.pop()
            for pid, ppid in parents.items():
                if ppid == parent and pid not in found:
                    found[pid] = commands[pid]
                    pending.append(pid)
        return found

    def pid_of(self, name: str, other_than: int | None = None) -> int:
        """The running process of the worker or the scheduler, waiting for it to start."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for pid, command in self.descendants().items():
                if f"manage.py {COMMANDS[name]}" in command and pid != other_than:
                    return pid
            time.sleep(0.2)
        raise AssertionError(f"no {name} is running under scripts/run.sh")

    def health(self) -> int:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                with opener.open(f"http://{self.address}/health/", timeout=5) as response:
                    return response.status
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("run-var")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["CANDOUR_VAR_DIR"] = str(var_dir)
    migrate(env)
    return env


def test_run_restarts_a_worker_or_scheduler_that_dies_and_keeps_serving(migrated_var_dir):
    address = f"127.0.0.1:{_free_port()}"
    env = migrated_var_dir | {"CANDOUR_ADDRESS": address, "CANDOUR_RESTART_PAUSE_SECONDS": "0.5"}
    candour = RunningCandour(env, address)
    try:
        first = {name: candour.pid_of(name) for name in COMMANDS}
        assert candour.health() == 200

        for name in COMMANDS:
            os.kill(first[name], signal.SIGKILL)
            candour.wait_for(re.compile(rf"^{name} stopped \(exit status \d+\); starting it again"))
            again = candour.pid_of(name, other_than=first[name])
            assert _alive(again)
            assert candour.health() == 200

        assert candour.process.poll() is None
        assert sum("Candour is starting" in line for line in candour.seen) == 1
    finally:
        candour.stop()

    assert candour.process.returncode is not None
    deadline = time.monotonic() + 30
    while _started_with(f"CANDOUR_ADDRESS={address}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _started_with(f"CANDOUR_ADDRESS={address}") == []


def test_make_run_says_what_it_is_doing_at_each_step():
    # -n prints every recipe line without running it; -B as if nothing had been set up yet.
    plan = subprocess.run(
        ["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()

    announced = [line for line in plan if line.startswith("echo ")]
    for step in ("Python", "NHS.UK frontend", "database", "demo trust", "Starting"):
        assert any(step in line for line in announced), step
    # Each step is announced before its command runs.
    assert plan.index(next(line for line in announced if "Python" in line)) < next(
        index for index, line in enumerate(plan) if "uv pip sync" in line
    )
