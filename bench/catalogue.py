"""The measures catalogue at trust scale: the page every leader opens to see how the trust is doing, with
every registered measure's chart drawn from kept snapshots (one query, no recomputation), timed for the
quality lead (the trust and five areas to choose from) and an area's operations manager.

Also the cost of keeping those snapshots: `manage.py refresh_snapshots` over the whole chart span, the same
work the demo does last when it seeds, on the seeded database (an upsert of the values already kept).
"""

from __future__ import annotations

from pathlib import Path

from bench import load, processes

QUALITY_LEAD = "quality.lead@northmoor.example"
OPERATIONS_MANAGER = "operations.manager@northmoor.example"


def scenarios(reference: str) -> list[load.Scenario]:
    return [
        load.Scenario(
            "measures catalogue (trust)", "/assurance/measures/", user=QUALITY_LEAD, reference=reference
        ),
        load.Scenario(
            "measures catalogue (an area)",
            "/assurance/measures/",
            user=OPERATIONS_MANAGER,
            reference=reference,
        ),
    ]


def refresh_rows(*, env: dict[str, str], log: Path) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows: recomputing every snapshot of the chart span."""
    print("Recomputing every measure snapshot with manage.py refresh_snapshots ...", flush=True)
    timed = processes.manage("refresh_snapshots", env=env, log=log, timeout=3600)
    name = "manage.py refresh_snapshots (every measure, trust and areas, chart span)"
    return [
        (f"{name}: wall time", f"{timed.seconds:.1f} s", "—", "—"),
        (f"{name}: peak memory (RSS)", f"{timed.peak_rss_bytes / 2**20:.0f} MiB", "—", "—"),
    ]
