"""The demo trust generator's frame. Each app adds its part in its own `demo.py` with a `build(context)`.

Deterministic: the same seed and scale always give the same trust, so the benchmark and the demo agree.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Collection
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Scale:
    name: str
    areas: int
    stations_per_area: int
    staff: int
    apprentices: int
    months_of_history: int


SCALES = {
    "demo": Scale("demo", areas=5, stations_per_area=4, staff=600, apprentices=60, months_of_history=24),
    "trust": Scale("trust", areas=5, stations_per_area=12, staff=4500, apprentices=661, months_of_history=24),
}


@dataclass(frozen=True)
class SignIn:
    role_label: str
    email: str


@dataclass
class DemoContext:
    seed: int
    scale: Scale
    today: dt.date
    rng: random.Random
    password: str
    shared: dict = field(default_factory=dict)
    # Months of measure snapshots to compute at the end (derived data the scheduler would otherwise fill in).
    # The seed command asks for the chart span; tests of the demo's own data skip the cost.
    snapshot_months: int = 0
    sign_ins: list[SignIn] = field(default_factory=list)

    def rng_for(self, part: str) -> random.Random:
        """A generator per app, so one app's changes do not reshuffle another's data."""
        return random.Random(f"{self.seed}:{part}")


def demo_modules(parts: Collection[str] | None = None):
    """Each installed Candour app's demo module, in INSTALLED_APPS order (lower apps first); only those of
    the app labels in `parts`, when given."""
    for config in apps.get_app_configs():
        if parts is not None and config.label not in parts:
            continue
        if config.name.startswith("candour.") and config.name != "candour.core":
            try:
                yield importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise


@transaction.atomic
def build_demo(
    *,
    seed: int,
    scale: str,
    today: dt.date | None = None,
    snapshot_months: int = 0,
    parts: Collection[str] | None = None,
) -> DemoContext:
    """Build the whole demo trust in one transaction: all of it, or none of it. A test of one app's part
    names the parts it needs (app labels, each with those it stands on), and the rest are not built."""
    context = DemoContext(
        seed=seed,
        scale=SCALES[scale],
        today=today or timezone.localdate(),
        rng=random.Random(seed),
        password=settings.CANDOUR_DEMO_PASSWORD,
        snapshot_months=snapshot_months,
    )
    for module in demo_modules(parts):
        module.build(context)
    return context
