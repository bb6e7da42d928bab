"""Settings come from the environment, fail loudly when wrong, and production passes the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from candour.env import ImproperEnvironment, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_typed_readers_parse_and_default(monkeypatch):
    monkeypatch.setenv("T_INT", "42")
    monkeypatch.setenv("T_BOOL", "yes")
    monkeypatch.setenv("T_LIST", "a, b,,c")

    assert env_int("T_INT") == 42
    assert env_bool("T_BOOL") is True
    assert env_list("T_LIST") == ["a", "b", "c"]
    assert env_int("T_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("reader", "value"),
    [(env_int, "forty"), (env_bool, "perhaps"), (lambda n: env_choice(n, ("a", "b")), "c")],
)
def test_a_bad_value_names_the_variable(monkeypatch, reader, value):
    monkeypatch.setenv("T_BAD", value)

    with pytest.raises(ImproperEnvironment, match="T_BAD"):
        reader("T_BAD")


def test_a_missing_required_value_says_to_set_it():
    with pytest.raises(ImproperEnvironment, match="Set the environment variable T_REQUIRED"):
        env_int("T_REQUIRED")


def _manage(*args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would fail the deploy check; production never sets it.
    ignored = ("CANDOUR_", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(ignored)}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CANDOUR_ENV="production",
        SECRET_KEY="x" * 64 + "production-secret-key-for-the-check",
        ALLOWED_HOSTS="candour.example.nhs.uk",
        CANDOUR_ENCRYPTION_KEYS="k1:" + "A" * 43 + "=",
        CANDOUR_AUDIT_KEYS="a1:" + "B" * 43 + "=",
        CANDOUR_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    result = _manage("check", CANDOUR_ENV="production", CANDOUR_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr
