"""Missed stock checks escalate to the medicines lead, and open discrepancies to the CD accountable officer,
each once, and only after their time limits (settings)."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candour.core.models import OutboxMessage
from candour.medicines import services
from candour.medicines.models import Premises
from candour.medicines.services import schedule
from tests.medicines.conftest import receive


def test_a_pouch_check_is_missed_only_after_its_interval_and_grace(station, settings):
    settings.CANDOUR_CD_CHECK_HOURS = {**settings.CANDOUR_CD_CHECK_HOURS, "pouch": 12}
    settings.CANDOUR_CD_CHECK_GRACE_HOURS = 2
    due = schedule.next_check_due(station.pouch)
    assert due == station.pouch.created_at + dt.timedelta(hours=12)
    assert not schedule.is_missed(due, due + dt.timedelta(hours=2))
    assert schedule.is_missed(due, due + dt.timedelta(hours=2, seconds=1))


def test_a_missed_check_is_escalated_to_the_lead_once(station):
    later = timezone.now() + dt.timedelta(hours=15)
    with time_machine.travel(later, tick=False):
        assert schedule.escalate_missed_checks(now=timezone.now()) == 1  # the pouch, not the weekly safe
        assert schedule.escalate_missed_checks(now=timezone.now()) == 0
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [station.lead.email]


def _queries_to_look_for_missed_checks() -> int:
    with CaptureQueriesContext(connection) as queries:
        assert schedule.escalate_missed_checks(now=timezone.now()) == 0
    return len(queries)


def test_looking_for_missed_checks_asks_the_same_queries_however_many_premises(station):
    services.record_stock_check(
        by=station.paramedic, premises=station.safe, counted={station.safe_morphine: 0}
    )
    few = _queries_to_look_for_missed_checks()
    for n in range(5):
        services.create_premises(
            by=station.lead, unit=station.unit, kind=Premises.Kind.SAFE, name=f"Safe {n}"
        )
    assert _queries_to_look_for_missed_checks() == few


def test_a_discrepancy_is_escalated_after_24_hours_and_not_before(station):
    receive(station, 5)
    services.record_stock_check(
        by=station.paramedic, premises=station.safe, counted={station.safe_morphine: 4}
    )
    opened = timezone.now()
    assert schedule.escalate_open_discrepancies(now=opened + dt.timedelta(hours=23, minutes=59)) == 0
    assert schedule.escalate_open_discrepancies(now=opened + dt.timedelta(hours=24)) == 1
    assert schedule.escalate_open_discrepancies(now=opened + dt.timedelta(hours=48)) == 0
    assert station.officer.email in OutboxMessage.objects.values_list("to", flat=True)


def test_the_registers_list_and_premises_page_show_a_missed_check(station, client_for):
    with time_machine.travel(timezone.now() + dt.timedelta(hours=15), tick=False):
        client = client_for(station.lead)  # signed in then, as a session does not last 15 hours
        listing = client.get(reverse("medicines:list_premises")).text
        pouch = client.get(reverse("medicines:show_premises", args=[station.pouch.public_id])).text
        safe = client.get(reverse("medicines:show_premises", args=[station.safe.public_id])).text

    assert listing.count("Check missed") == 1  # the pouch's 12 hours have passed; the safe's week has not
    assert "Check missed" in pouch and "Next stock check due" in pouch
    assert "Check missed" not in safe and "Next stock check due" in safe
