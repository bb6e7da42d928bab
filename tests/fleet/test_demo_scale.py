"""The demo fleet grows to the trust's scale by store stock and years of history: the register reaches the
size asked for, each station's store holding the spares, and the history goes back the years asked for."""

from __future__ import annotations

import datetime as dt

import time_machine

from candour.core.demo import build_demo
from candour.core.months import add_months
from candour.fleet import demo
from candour.fleet.models import AffectedAsset, Asset, MaintenanceResult, MaintenanceSchedule

TODAY = dt.date(2026, 11, 18)


def test_the_register_grows_to_the_scales_size_with_spares_in_the_stores_and_years_of_history(
    db, monkeypatch
):
    # The demo scale made as big as a small trust's, as the trust scale is made as big as a real one's.
    monkeypatch.setitem(demo.ASSETS, "demo", 1_200)
    monkeypatch.setitem(demo.HISTORY_YEARS, "demo", 5)

    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        build_demo(seed=2026, scale="demo", today=TODAY, parts=("people", "fleet"))

    assert 1_150 <= Asset.objects.count() <= 1_250
    spares = Asset.objects.filter(store__isnull=False, model__in=[spec[3] for spec in demo.SPARES])
    assert spares.count() > 900
    assert not AffectedAsset.objects.filter(asset__in=spares).exists()
    # Every spare is maintained, and the history goes back about five years.
    assert not spares.exclude(pk__in=MaintenanceSchedule.objects.values("asset_id")).exists()
    oldest = MaintenanceResult.objects.order_by("done_on").values_list("done_on", flat=True).first()
    assert oldest <= add_months(TODAY, -5 * 12 + 12)
