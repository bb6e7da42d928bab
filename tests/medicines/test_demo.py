"""The demo trust's controlled drugs: a year of registers that add up, with the stories the issue asks for."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from candour.core.demo import build_demo
from candour.medicines import queries
from candour.medicines.models import (
    Discrepancy,
    DiscrepancyCategory,
    EntryKind,
    Premises,
    RegisterEntry,
    RegisterPart,
)
from candour.medicines.services import schedule
from candour.people.demo import demo_email
from candour.people.models import User

TODAY = dt.date(2026, 11, 22)
# This test needs only these parts of the demo trust (the others take time to build).
PARTS = ("people", "medicines")


@pytest.fixture(scope="module")
def demo_trust(django_db_setup, django_db_blocker):
    """Built once for this file's tests, on its own day, and rolled back after them."""
    with (
        time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        build_demo(seed=2026, scale="demo", today=TODAY, parts=PARTS)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_trust, db):
    return demo_trust


def test_every_road_station_has_a_safe_and_a_vehicle_with_a_year_of_entries(demo):
    kinds = set(Premises.objects.values_list("kind", flat=True))
    first = RegisterEntry.objects.order_by("occurred_on").first().occurred_on

    assert kinds == {Premises.Kind.SAFE, Premises.Kind.VEHICLE}
    assert Premises.objects.filter(kind=Premises.Kind.SAFE).count() == 20
    assert (TODAY - first).days >= 360
    assert RegisterEntry.objects.filter(kind=EntryKind.ADMINISTERED).count() > 2000


def test_every_part_adds_up_line_by_line(demo):
    for part in RegisterPart.objects.all():
        running = 0
        for number, (sequence, change, balance) in enumerate(
            part.entries.order_by("sequence").values_list("sequence", "change", "balance_after"), start=1
        ):
            running += change
            assert (sequence, balance) == (number, running), part
    assert not RegisterEntry.objects.filter(
        ~Q(kind=EntryKind.CORRECTION), change__gt=0, kind__in=[EntryKind.ADMINISTERED, EntryKind.WASTED]
    ).exists()


def test_a_station_has_missed_its_checks_and_the_others_were_counted_today(demo):
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    missed = {
        place.unit_id
        for place in Premises.objects.all()
        if schedule.is_missed(schedule.next_check_due(place), now)
    }
    counted_today = Premises.objects.filter(stock_checks__counted_at__date=TODAY).distinct().count()

    assert len(missed) == 1
    assert counted_today == Premises.objects.count() - 2


def test_one_discrepancy_is_a_resolved_recording_error_and_one_an_open_reported_loss(demo):
    error = Discrepancy.objects.get(status=Discrepancy.Status.RESOLVED)
    loss = Discrepancy.objects.get(status=Discrepancy.Status.OPEN)

    assert Discrepancy.objects.count() == 2
    assert error.category == DiscrepancyCategory.RECORDING_ERROR
    assert error.count.part.entries.filter(kind=EntryKind.CORRECTION, change=1).exists()
    assert loss.category == DiscrepancyCategory.UNEXPLAINED_LOSS
    assert loss.count.difference == -1
    assert loss.onward_reports.get().body == "police"


def test_there_are_a_few_late_entries_and_corrections(demo):
    late = RegisterEntry.objects.filter(is_late=True)
    corrections = RegisterEntry.objects.filter(kind=EntryKind.CORRECTION)

    assert 5 <= late.count() <= 100
    assert not late.filter(late_reason="").exists()
    assert 3 <= corrections.count() <= 100
    assert not corrections.exclude(corrects__part=F("part")).exists()


def test_one_clinician_wastes_far_more_than_their_peers(demo):
    per_clinician = (
        RegisterEntry.objects.values("recorded_by")
        .annotate(
            given=Count("id", filter=Q(kind=EntryKind.ADMINISTERED)),
            wasted=Count("id", filter=Q(kind=EntryKind.WASTED)),
        )
        .filter(given__gte=10)
    )
    rates = sorted(row["wasted"] / row["given"] for row in per_clinician)

    assert rates[-1] > 0.25
    assert rates[-1] > 2 * rates[-2]


def test_the_demo_registers_hold_stock(demo):
    held = RegisterEntry.objects.aggregate(total=Sum("change"))["total"]
    assert held > 100


def test_the_officer_sees_the_unusual_clinician_far_above_their_peers(demo):
    officer = User.objects.get(email=demo_email("cd.officer"))

    flagged = [each for each in queries.patterns_for(officer).clinicians if each.flagged]
    reconciliation = queries.reconciliation_for(officer)

    assert [each.wastage.far_above for each in flagged] == [True]
    assert reconciliation.clinicians[0].clinician == flagged[0].clinician
    assert 95 <= reconciliation.matched_percent < 100


def test_the_officer_reads_the_exceptions_and_the_patterns_pages(demo, client_for):
    client = client_for(User.objects.get(email=demo_email("cd.officer")))

    exceptions = client.get(reverse("medicines:list_reconciliation"))
    patterns = client.get(reverse("medicines:show_patterns"))

    assert exceptions.status_code == patterns.status_code == 200
    assert "Far above peers" in patterns.content.decode()
