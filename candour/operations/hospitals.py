"""Hospitals as reference data: the hospitals a trust's crews take patients to, each with the CAD's code for
it and the acute trust it belongs to. System administrators keep them in Django admin (`admin.py`, every
change audited); a trust's first list, and the demo's, is written by `ensure_hospitals`. Incidents stored
before hospitals were reference data were given one hospital per destination name by migration 0005."""

from __future__ import annotations

from collections.abc import Iterable

from candour.operations.models import Hospital


def ensure_hospitals(hospitals: Iterable[tuple[str, str, str]]) -> None:
    """Write each (code, name, acute trust), updating a hospital with the code that is already there."""
    for code, name, acute_trust in hospitals:
        Hospital.objects.update_or_create(code=code, defaults={"name": name, "acute_trust": acute_trust})
