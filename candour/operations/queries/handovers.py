"""Hospital handovers per hospital and month: how long crews waited from arrival at hospital to the clinical
handover, in the national bands (STANDARDS.md §1: within 15 minutes, none over 30, "release to rescue" at
45, the contract's 60), and the hours lost past the point handover should have happened. Hospitals are the
reference data the CAD feed checks destinations against; an arrival with no destination recorded is counted
under "not recorded" (the code "")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from candour.operations.models import CadIncident, Hospital

# The bands' upper bounds in minutes, verified national standards; "over 60" is what is left.
BANDS_MINUTES = (15, 30, 45, 60)
RELEASE_TO_RESCUE_MINUTES = 45


@dataclass
class HospitalMonth:
    """One hospital's arrivals in a month and how their handovers went; a hospital of "" (name and code) is
    the arrivals with no destination recorded."""

    hospital: str
    code: str = ""
    acute_trust: str = ""
    arrivals: int = 0
    # Arrivals whose handover time the CAD does not hold: counted, never guessed into a band.
    not_recorded: int = 0
    within: dict[int, int] = field(default_factory=lambda: dict.fromkeys(BANDS_MINUTES, 0))
    over_60: int = 0
    lost_seconds: int = 0

    @property
    def recorded(self) -> int:
        return self.arrivals - self.not_recorded

    @property
    def hours_lost(self) -> float:
        return self.lost_seconds / 3600

    @property
    def released_to_rescue(self) -> float | None:
        """The share of recorded handovers done within the release-to-rescue time."""
        return self.within[RELEASE_TO_RESCUE_MINUTES] / self.recorded if self.recorded else None


def handover_seconds(incident_arrived: dt.datetime, handover: dt.datetime) -> int:
    return int((handover - incident_arrived).total_seconds())


def hospitals_for(scope, month: dt.date) -> list[HospitalMonth]:
    """Each hospital that crews from the scope's stations arrived at in the month, most hours lost first."""
    lost_after = settings.CANDOUR_HANDOVER_LOST_AFTER_MINUTES * 60
    hospitals: dict[str, HospitalMonth] = {}
    rows = (
        arrivals(scope, month)
        .values_list(
            "hospital__code",
            "hospital__name",
            "hospital__acute_trust",
            "arrived_at_hospital",
            "handover_complete",
        )
        .iterator(chunk_size=5_000)
    )
    for code, name, acute_trust, arrived, handed_over in rows:
        figures = hospitals.get(code or "")
        if figures is None:
            figures = hospitals[code or ""] = HospitalMonth(name or "", code or "", acute_trust or "")
        figures.arrivals += 1
        if handed_over is None:
            figures.not_recorded += 1
            continue
        seconds = handover_seconds(arrived, handed_over)
        for minutes in BANDS_MINUTES:
            if seconds <= minutes * 60:
                figures.within[minutes] += 1
        figures.over_60 += seconds > BANDS_MINUTES[-1] * 60
        figures.lost_seconds += max(0, seconds - lost_after)
    return sorted(hospitals.values(), key=lambda each: (-each.lost_seconds, each.hospital))


def hospital_coded(code: str) -> Hospital | None:
    """The hospital with the code, or None: "" is no hospital (arrivals with no destination recorded)."""
    return Hospital.objects.filter(code=code).first() if code else None


def arrivals(scope, month: dt.date):
    """The incidents from the scope's stations that arrived at a hospital in the month."""
    incidents = CadIncident.objects.for_scope(scope).filter(month=month, arrived_at_hospital__isnull=False)
    return incidents.select_related("station").order_by("arrived_at_hospital", "pk")


def arrivals_at(scope, month: dt.date, hospital: Hospital | None):
    """Those of the arrivals at one hospital, or (None) those with no destination recorded."""
    return arrivals(scope, month).filter(hospital=hospital)
