"""The shape the code keeps, checked: services are the only writers, and apps reach each other one way.

Beside the URL walk (which runs every page and every form with `writes_watched`), this checks the
periodic jobs, and reads every module's imports: core stands on nothing of ours; people stands on core;
a domain app reaches another domain app only through its `services` or `queries`, never its models, and
never in a cycle.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.apps import apps

from candour.core.importing import feeds
from candour.core.models import AuditChainHead
from candour.core.scheduling import registered_jobs
from candour.people.roles import ROLE_PERMISSIONS
from tests.support.writers import REPOSITORY, writes_watched

CANDOUR = REPOSITORY / "candour"
PLATFORM = ("core", "people")
DOMAIN_APPS = sorted(
    config.name.split(".")[1]
    for config in apps.get_app_configs()
    if config.name.startswith("candour.") and config.name.split(".")[1] not in PLATFORM
)
SEAMS = ("services", "queries")


def _modules() -> list[tuple[str, Path]]:
    return [
        (path.relative_to(CANDOUR).parts[0], path)
        for path in sorted(CANDOUR.rglob("*.py"))
        if "migrations" not in path.parts and len(path.relative_to(CANDOUR).parts) > 1
    ]


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [name for name in names if name.startswith("candour.")]


def test_the_platform_stands_on_nothing_above_it():
    wrong = []
    for app, path in _modules():
        if app not in PLATFORM:
            continue
        allowed_below = ("core",) if app == "core" else PLATFORM
        for name in _imports(path):
            reached = name.split(".")[1]
            if reached in DOMAIN_APPS or (reached in PLATFORM and reached not in allowed_below):
                wrong.append(f"{path.relative_to(REPOSITORY)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_a_domain_app_reaches_another_only_through_its_services_or_queries():
    wrong, edges = [], set()
    for app, path in _modules():
        if app not in DOMAIN_APPS:
            continue
        for name in _imports(path):
            parts = name.split(".")
            reached = parts[1]
            if reached == app or reached not in DOMAIN_APPS:
                continue
            edges.add((app, reached))
            if len(parts) < 3 or parts[2] not in SEAMS:
                wrong.append(f"{path.relative_to(REPOSITORY)} imports {name}")
    cycles = sorted(f"{a} <-> {b}" for a, b in edges if (b, a) in edges and a < b)
    assert not wrong, "Reach another app through its services or queries only:\n" + "\n".join(wrong)
    assert not cycles, "Apps reach each other one way only: " + ", ".join(cycles)


def test_a_write_from_a_view_is_noticed(db):
    # A function compiled as though it lived in a views module, writing straight to a table.
    code = compile(
        "def write():\n    AuditChainHead.objects.create(pk=9, last_hash='x')\n",
        str(CANDOUR / "people" / "views.py"),
        "exec",
    )
    namespace = {"AuditChainHead": AuditChainHead}
    exec(code, namespace)

    with writes_watched() as writes:
        namespace["write"]()

    assert writes.outside_writers and writes.outside_writers[0][0] == "candour.people.views"


@pytest.mark.parametrize("job", registered_jobs(), ids=lambda job: job.name)
def test_every_periodic_job_writes_only_through_services(db, job):
    with writes_watched() as writes:
        job.task.call()
    assert not writes.outside_writers, writes.report()


def test_every_scrolling_table_region_can_be_reached_by_keyboard_and_is_named():
    # axe's scrollable-region-focusable failed at phone width on four pages whose wrapper had neither.
    unreachable = [
        f"{path.relative_to(REPOSITORY)}: {line.strip()}"
        for path in (REPOSITORY / "candour").rglob("*.jinja")
        for line in path.read_text().splitlines()
        if 'class="candour-table-wrapper"' in line
        and not ('tabindex="0"' in line and 'role="region"' in line and "aria-labelledby=" in line)
    ]
    assert not unreachable, "Use components/table_region.jinja:\n" + "\n".join(unreachable)


def test_every_feed_uploaded_on_the_import_pages_names_a_held_permission_and_takes_the_uploader():
    """The import job runs a feed with the person who uploaded its file (core.importing.feeds)."""
    held = set().union(*ROLE_PERMISSIONS.values())
    uploadable = [feed for feed in feeds.all_feeds() if feed.permission]
    assert {feed.key for feed in uploadable} >= {
        "cad_incidents",
        "cad_call_log",
        "recorder_index",
        "staff_roster",
        "training_records",
    }
    for feed in uploadable:
        assert feed.permission in held, feed.key
        assert "by" in inspect.signature(feed.run).parameters, feed.key
