"""The tooling's promises: CI is strict, lints, starts production as the README says, and runs both engines;
the benchmark's client can still sign in."""

import os
import re
import subprocess
from pathlib import Path

from bench import load
from bench.__main__ import SCENARIOS
from tests.support.factories import user_password

ROOT = Path(__file__).resolve().parents[1]


def test_ci_script_is_executable_strict_and_runs_both_engines():
    script = ROOT / ".ci" / "run"

    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert "env -u DATABASE_URL make test" in text
    assert 'DATABASE_URL="postgres://' in text


def test_ci_script_lints_and_starts_production_before_the_suites():
    text = (ROOT / ".ci" / "run").read_text()
    steps = ["make lint", "make check-deploy", "env -u DATABASE_URL make test", '/$DB" make test']

    assert all(step in text for step in steps)
    assert [text.index(step) for step in steps] == sorted(text.index(step) for step in steps)


def test_production_check_runs_the_readme_steps_in_production():
    text = (ROOT / "scripts" / "check_production.py").read_text()
    readme = (ROOT / "README.md").read_text()

    assert 'CANDOUR_ENV="production"' in text
    for step in ('"migrate"', '"collectstatic"', '"check", "--deploy"', '"gunicorn"'):
        assert step in text
    assert "manage.py migrate" in readme and "collectstatic" in readme and "gunicorn" in readme


def test_the_suite_reads_data_only_from_the_repository_and_each_file_names_its_source():
    folder = ROOT / "tests" / "data"
    readme = (folder / "README.md").read_text()
    data = [path for path in folder.rglob("*") if path.is_file() and path.name != "README.md"]

    assert data
    assert all(f"`{path.relative_to(folder)}`" in readme for path in data)
    # The ways a test reached the data folder beside the clone (built up here, so this file has neither).
    outside = ("../" + "shared", "shared" + '" / "data')
    for test in (ROOT / "tests").rglob("*.py"):
        assert not any(way in test.read_text() for way in outside), f"{test} reads outside the repository"


def test_a_newcomer_finds_everything_the_readme_names_in_the_clone():
    readme = (ROOT / "README.md").read_text()
    make_help = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "../" not in readme
    for named in re.findall(r"`((?:docs|tests|scripts|requirements)/[\w./-]*)`", readme):
        assert (ROOT / named).exists(), named
    assert "`docs/design.md`" in readme
    assert "CANDOUR_ADDRESS" in readme and "CANDOUR_ADDRESS" in make_help


def test_every_bench_reference_is_a_measured_scenario():
    names = {scenario.name for scenario in SCENARIOS}

    assert all(scenario.reference in names for scenario in SCENARIOS if scenario.reference)


def test_bench_percentiles_are_nearest_rank():
    result = load.Result(load.Scenario("x", "/"), seconds=1.0, latencies=[float(n) for n in range(1, 101)])

    assert (result.percentile(50), result.percentile(95), result.percentile(100)) == (50.0, 95.0, 100.0)


def test_bench_client_signs_in_and_reaches_the_home_page(live_server, make_user):
    user = make_user()
    client = load.Client(live_server.url)

    client.sign_in(user.email, user_password())

    status, reached, _ = client.get("/")
    assert (status, reached) == (200, "/")
