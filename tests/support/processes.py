"""Other processes on the test's database, as a second web process would be: what they commit, the test
reads, and what the test commits, they read (tests using them need `django_db(transaction=True)`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def environment(tmp_path: Path, **settings: str) -> dict:
    """The environment for processes sharing this test's database, with the given settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "candour.settings",
        "CANDOUR_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "ERROR",
        **settings,
    }
    if connection.vendor == "postgresql":
        # The test database itself.
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        # SQLite's test database lives in this process's memory: the processes share a file instead.
        env.pop("DATABASE_URL", None)
        migrate(env)
    return env


def migrate(env: dict) -> None:
    """Migrate the database `env` names (a SQLite file under its CANDOUR_VAR_DIR, unless DATABASE_URL)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def run_python(env: dict, script: str, *arguments: str) -> dict:
    """Run `script` in a new process; it prints its findings as JSON on its last line."""
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
