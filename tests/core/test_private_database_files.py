"""The SQLite database holds safeguarding cases: its file, and the WAL and shared-memory files SQLite
keeps beside it, are readable by the service's own user only, like the secrets under var/."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A process of the service that writes (so SQLite makes its WAL) and reports each file's mode while open.
WRITE_AND_REPORT = """
import os, stat, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    cursor.execute("INSERT INTO probe VALUES (1)")
    name = settings.DATABASES["default"]["NAME"]
    for path in (name, name + "-wal", name + "-shm"):
        print(os.path.basename(path), oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def _modes(var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "candour.settings", "CANDOUR_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", WRITE_AND_REPORT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split() for line in done.stdout.splitlines())


@pytest.mark.parametrize("made_before", [False, True], ids=["new database", "database made before, 0644"])
def test_the_database_and_its_wal_are_readable_by_the_service_only(tmp_path, made_before):
    if made_before:
        (tmp_path / "candour.sqlite3").touch()
        (tmp_path / "candour.sqlite3").chmod(0o644)

    modes = _modes(tmp_path)

    assert modes == {
        "candour.sqlite3": "0o600",
        "candour.sqlite3-wal": "0o600",
        "candour.sqlite3-shm": "0o600",
    }
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
