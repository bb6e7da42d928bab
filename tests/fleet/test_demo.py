"""The demo fleet tells the stories issue 15 asks for: a station whose stretchers are past LOLER, a field
safety notice half actioned, night checks missed at one station, an overdue deep clean, audits with actions,
and bariatric waits that differ sharply between two areas."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from candour.core.audit import verify_chain
from candour.core.demo import build_demo
from candour.core.measures import Period
from candour.fleet import queries
from candour.fleet.models import (
    AffectedAsset,
    Asset,
    AssetStatus,
    AuditElement,
    CleanlinessAudit,
    MaintenanceKind,
    MaintenanceSchedule,
    PartnerProvider,
    Vehicle,
)
from candour.people.demo import demo_email
from candour.people.models import OrgUnit, User

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(scope="module")
def demo_fleet(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        build_demo(seed=2026, scale="demo", today=TODAY)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def lead(demo_fleet, db):
    return User.objects.get(email=demo_email("fleet.lead"))


def _road_stations():
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION, name__contains="Ambulance Station")


def test_the_demo_has_about_forty_vehicles_with_their_equipment_and_an_intact_audit_chain(lead):
    assert 36 <= Vehicle.objects.count() <= 44
    assert Asset.objects.exclude(kind="vehicle").count() > 3 * Vehicle.objects.count()
    assert not Vehicle.objects.exclude(station__in=_road_stations()).exists()
    assert verify_chain().intact


def test_one_stations_stretchers_are_all_past_their_loler_examination(lead):
    overdue = MaintenanceSchedule.objects.overdue(TODAY).filter(
        kind=MaintenanceKind.LOLER, asset__model="Pegasus"
    )
    station_id = max(
        set(overdue.values_list("asset__station_id", flat=True)),
        key=lambda pk: overdue.filter(asset__station_id=pk).count(),
    )
    stretchers = Asset.objects.filter(station_id=station_id, model="Pegasus")

    assert stretchers.count() >= 2
    assert overdue.filter(asset__station_id=station_id).count() == stretchers.count()
    summary = queries.overdue_by_station(lead, TODAY)
    row = next(row for row in summary.rows if row.station.pk == station_id)
    assert row.overdue_assets >= stretchers.count()


def test_a_field_safety_notice_is_half_actioned_and_an_older_one_done(lead):
    half = AffectedAsset.objects.filter(notice__reference="FSN-LSU-2026-11")
    done = AffectedAsset.objects.filter(notice__reference="MHRA/2026/003/ZOL")

    assert half.count() >= 20
    assert half.actioned().count() == round(half.count() / 2)
    assert done.count() > 0 and not done.outstanding().exists()


def test_night_checks_are_missed_at_one_station_and_made_elsewhere(lead):
    rows = queries.shifts_by_station(lead, Period.month(2026, 10), timezone.now())
    missing = [row for row in rows if row.night.missed > row.night.shifts / 3]

    assert len(rows) == _road_stations().count()
    assert len(missing) == 1
    assert missing[0].day.missed < missing[0].day.shifts / 10
    assert all(row.night.missed < row.night.shifts / 10 for row in rows if row not in missing)


def test_a_vehicle_at_the_home_station_is_overdue_its_deep_clean_and_another_is_off_road(lead):
    home = User.objects.get(email=demo_email("staff")).person.station
    overdue = queries.overdue_deep_cleans(lead, TODAY)

    assert [due.vehicle.station for due in overdue] == [home]
    assert Vehicle.objects.filter(station=home, status="off_road").count() == 1


def test_every_station_has_a_cleanliness_audit_and_failed_elements_have_owned_actions(lead):
    audited = set(CleanlinessAudit.objects.values_list("station_id", flat=True))

    assert audited == set(_road_stations().values_list("pk", flat=True))
    assert CleanlinessAudit.objects.filter(vehicle__isnull=False).count() == 5
    failed = AuditElement.objects.filter(passed=False)
    assert failed.exists() and not failed.filter(action="").exists()


def test_an_asset_is_quarantined_by_its_loler_examination_and_another_by_a_manager(lead):
    quarantined = Asset.objects.filter(status=AssetStatus.QUARANTINED)

    assert set(quarantined.values_list("quarantine_kind", flat=True)) == {"loler", "ppm"}


def test_bariatric_waits_differ_sharply_between_two_areas(lead):
    provision = queries.provision_by_area(lead, timezone.now(), TODAY)
    by_area = {row.area.name: row for row in provision.areas}
    fast, slow = by_area["Oakridge City"], by_area["North Fells"]

    assert fast.waits.mean_seconds is not None and slow.waits.mean_seconds is not None
    assert slow.waits.mean_seconds > 2 * fast.waits.mean_seconds
    assert slow.waits.beyond > 5 and fast.waits.beyond == 0
    assert slow.waits.awaiting_review >= 1
    assert fast.capable_vehicles == 2 and slow.capable_vehicles == 1
    assert any(row.waits.too_few for row in provision.areas)
    assert PartnerProvider.objects.count() == 2
    assert queries.capability_register(lead, TODAY).filter(safe_working_load_kg__gte=300).exists()
