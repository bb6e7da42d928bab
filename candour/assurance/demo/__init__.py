"""Northmoor's assurance: its self-assessment and ratings, plans, risks, and 24 months of measure snapshots.

Each part is a module with `build(context)`, run in this order; snapshots come last, so every measure
(including the pace of the plans and the voice of staff) is kept for the whole span.
"""

import importlib

PARTS: list[str] = [
    # framework, plans and risks, then snapshots
    "framework",
    "risks",
    "plans",
    "snapshots",  # last: every measure above is kept for the whole span
]


def build(context) -> None:
    for part in PARTS:
        importlib.import_module(f"candour.assurance.demo.{part}").build(context)
