"""The reports assurance generates, one module per kind: each lays out its content as steps (the progress a
person sees while it is made) and names the template that writes it; `render` turns that into HTML and PDF.

A report reads snapshots and the assurance records, never recomputes a measure, and describes one day (the
day it was asked for); its charts end with the last complete month, because a month still under way would
read as a fall in every count, and everything it judges from evidence is judged on one span of complete
months (`ReportContext.evidence`), worked out once and named on the cover (docs/adr/0026).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from candour.assurance.models import ReportKind, ReportRun
from candour.core.measures import Period
from candour.core.months import evidence_window
from candour.people.models import OrgUnit


@dataclass(frozen=True)
class ReportContext:
    run: ReportRun
    unit: OrgUnit
    on: dt.date
    months: int = field(default_factory=lambda: settings.CANDOUR_CHART_MONTHS)
    # The complete months every judgement in the report is made on: worked out once, here, so the cover and
    # every section name the same span, whenever each step runs.
    evidence: Period = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "evidence", evidence_window(self.on))

    @property
    def until(self) -> dt.date:
        """The last day of the last complete month: where every chart, and the evidence judged, ends."""
        return self.evidence.last_day

    @property
    def generated_at(self) -> dt.datetime:
        return timezone.now()


@dataclass(frozen=True)
class Step:
    """One part of a report: `stage` is what the progress readout says while `build` runs; its result is
    kept under `key` for the template (and for later steps, such as a summary of the others)."""

    stage: str
    key: str
    build: Callable[[ReportContext, dict], object]


@dataclass(frozen=True)
class Outline:
    title: str
    subtitle: str
    template: str
    steps: list[Step]


def context_for(run: ReportRun) -> ReportContext:
    return ReportContext(run=run, unit=run.unit, on=timezone.localdate(run.created_at))


MODULES = {
    ReportKind.BOARD: "board",
    ReportKind.CQC_EVIDENCE: "cqc_pack",
    ReportKind.OFSTED_READINESS: "ofsted_pack",
}


def outline_for(context: ReportContext) -> Outline:
    """What a run of this kind contains, in the order it is made."""
    module = importlib.import_module(f"candour.assurance.reports.{MODULES[ReportKind(context.run.kind)]}")
    return module.outline(context)
