"""Cleaning vehicles: interim and deep cleans fall due by the trust's intervals, a decontamination resets the
interim, an overdue deep clean flags the vehicle, and a clean in the future is refused. Cleanliness audits:
score, stars, and no submission while a failed element lacks an owned action."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.refusals import Refused
from candour.fleet import queries, services
from candour.fleet.models import AuditElement, CleanDue, CleanlinessAudit, SwabResult, VehicleClean
from candour.people.roles import Role

NOW = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)


@pytest.fixture
def crew(fleet, make_user):
    return make_user(Role.STAFF, fleet.ashby)


def _due(vehicle, clean_type):
    return CleanDue.objects.get(vehicle=vehicle, clean_type=clean_type).next_due_at


def test_an_interim_clean_is_due_48_hours_later_and_a_deep_clean_6_weeks_later(fleet, crew):
    vehicle = fleet.vehicle()
    services.record_clean(by=crew, vehicle=vehicle, clean_type="interim", done_at=NOW - dt.timedelta(hours=2))
    assert _due(vehicle, "interim") == NOW + dt.timedelta(hours=46)
    services.record_clean(by=crew, vehicle=vehicle, clean_type="deep", done_at=NOW - dt.timedelta(hours=1))
    assert _due(vehicle, "deep") == NOW - dt.timedelta(hours=1) + dt.timedelta(weeks=6)
    assert _due(vehicle, "interim") == NOW + dt.timedelta(hours=47)

    with time_machine.travel(NOW + dt.timedelta(hours=48), tick=False):
        rows = {row.clean_type: row for row in queries.cleans_due(vehicle, timezone.now())}
        assert rows["interim"].is_overdue and not rows["deep"].is_overdue


def test_the_intervals_are_trust_settings(fleet, crew, settings):
    settings.CANDOUR_FLEET_INTERIM_CLEAN_HOURS = 96
    settings.CANDOUR_FLEET_DEEP_CLEAN_DAYS = 35
    vehicle = fleet.vehicle()
    services.record_clean(by=crew, vehicle=vehicle, clean_type="deep", done_at=NOW)
    assert _due(vehicle, "interim") == NOW + dt.timedelta(hours=96)
    assert _due(vehicle, "deep") == NOW + dt.timedelta(days=35)


def test_a_between_patients_clean_is_recorded_only(fleet, crew):
    vehicle = fleet.vehicle()
    services.record_clean(by=crew, vehicle=vehicle, clean_type="between_patients", done_at=NOW)
    assert VehicleClean.objects.filter(vehicle=vehicle).count() == 1
    assert not CleanDue.objects.filter(clean_type="interim").exists()
    assert CleanDue.objects.get(clean_type="deep").last_done_at is None


def test_a_decontamination_resets_the_interim_clean(fleet, crew):
    vehicle = fleet.vehicle()
    services.record_clean(
        by=crew, vehicle=vehicle, clean_type="interim", done_at=NOW - dt.timedelta(hours=40)
    )
    services.record_clean(by=crew, vehicle=vehicle, clean_type="decontamination", done_at=NOW)
    assert _due(vehicle, "interim") == NOW + dt.timedelta(hours=48)
    assert CleanDue.objects.get(clean_type="deep").last_done_at is None


def test_a_clean_entered_late_moves_nothing_back(fleet, crew):
    vehicle = fleet.vehicle()
    services.record_clean(by=crew, vehicle=vehicle, clean_type="interim", done_at=NOW)
    services.record_clean(
        by=crew, vehicle=vehicle, clean_type="interim", done_at=NOW - dt.timedelta(hours=10)
    )
    assert _due(vehicle, "interim") == NOW + dt.timedelta(hours=48)
    assert VehicleClean.objects.count() == 2


def test_a_clean_in_the_future_is_refused_and_nothing_is_written(fleet, crew):
    vehicle = fleet.vehicle()
    with pytest.raises(Refused, match="cannot be in the future"):
        services.record_clean(
            by=crew, vehicle=vehicle, clean_type="deep", done_at=NOW + dt.timedelta(hours=1)
        )
    assert not VehicleClean.objects.exists()
    assert CleanDue.objects.get().last_done_at is None and not CleanDue.objects.filter(clean_type="interim")


def test_the_crew_records_a_clean_on_the_form_and_a_future_date_is_refused_with_a_message(fleet, crew):
    vehicle = fleet.vehicle()
    client = Client()
    client.force_login(crew)
    url = reverse("fleet:record_clean", args=[vehicle.public_id])
    form = {"clean_type": "deep", "done_on_day": "19", "done_on_month": "11", "done_on_year": "2026"}
    refused = client.post(url, form | {"done_time": "09:00"})
    assert refused.status_code == 200
    assert "The clean cannot be in the future" in refused.content.decode()
    assert not VehicleClean.objects.exists()
    done = client.post(url, form | {"done_on_day": "18", "done_time": "09:00"})
    assert done.status_code == 302
    assert VehicleClean.objects.get().clean_type == "deep"


def test_an_overdue_deep_clean_flags_the_vehicle_and_lists_it_by_station(fleet, crew):
    vehicle = fleet.vehicle()
    cleaned_later = fleet.vehicle("NA102")
    services.record_clean(by=crew, vehicle=vehicle, clean_type="deep", done_at=NOW)
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        services.record_clean(by=crew, vehicle=cleaned_later, clean_type="deep", done_at=timezone.now())
    due_day = (NOW + dt.timedelta(weeks=6)).date()
    assert not queries.vehicles(fleet.lead, due_day).get(pk=vehicle.pk).is_flagged  # due today: not yet
    after = due_day + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(after, dt.time(12), tzinfo=dt.UTC), tick=False):
        flagged = queries.vehicles(fleet.lead, after, flagged_only=True)
        assert [row.call_sign for row in flagged] == ["NA101"]
        assert queries.overdue_by_station(fleet.lead, after).flagged_vehicles == 1
        client = Client()
        client.force_login(fleet.lead)
        page = client.get(reverse("fleet:show_vehicle", args=[vehicle.public_id])).content.decode()
        assert "The deep clean is overdue" in page and "Flagged: an overdue item" in page
        listed = client.get(reverse("fleet:list_overdue_cleans")).content.decode()
        assert "NA101" in listed and "NA102" not in listed and "Ashby" in listed


def test_a_vehicle_never_deep_cleaned_is_overdue_from_the_day_after_it_was_registered(fleet, crew):
    vehicle = fleet.vehicle()
    assert not queries.vehicles(fleet.lead, NOW.date()).get(pk=vehicle.pk).is_flagged  # registered today
    tomorrow = NOW + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert queries.vehicles(fleet.lead, tomorrow.date()).get(pk=vehicle.pk).is_flagged
        client = Client()
        client.force_login(fleet.lead)
        listed = client.get(reverse("fleet:list_overdue_cleans")).content.decode()
        assert "NA101" in listed and "None recorded" in listed
        services.record_clean(by=crew, vehicle=vehicle, clean_type="deep", done_at=tomorrow)
        assert not queries.vehicles(fleet.lead, tomorrow.date()).get(pk=vehicle.pk).is_flagged
        assert _due(vehicle, "deep") == tomorrow + dt.timedelta(weeks=6)


def _elements(*results, action="", owner=""):
    return [
        services.Element(name=f"Element {n}", passed=result, action=action, action_owner=owner)
        for n, result in enumerate(results, start=1)
    ]


def _audit(fleet, elements, **fields):
    fields.setdefault("functional_risk", "FR4")
    fields.setdefault("audited_on", NOW.date())
    fields.setdefault("swabs", [])
    return services.submit_audit(
        by=fleet.lead, station=fleet.ashby, vehicle=None, elements=elements, **fields
    )


def test_an_audit_is_refused_while_a_failed_element_lacks_an_action_with_an_owner(fleet):
    elements = [
        services.Element("Stretcher", True),
        services.Element("Floor", False, action="Deep clean the floor", action_owner=""),
        services.Element("Cupboards", False),
    ]
    with pytest.raises(Refused) as refused:
        _audit(fleet, elements)
    assert "Floor, Cupboards" in refused.value.message
    assert not CleanlinessAudit.objects.exists() and not AuditElement.objects.exists()


def test_an_audit_is_scored_as_the_share_passed_with_stars_from_the_settings(fleet):
    found = _audit(fleet, _elements(*[True] * 19, False, action="Replace the mop head", owner="J Smith"))
    assert found.score_percent == Decimal("95.0")
    assert found.stars == 4 and found.target_percent == 85 and found.meets_target
    low = _audit(fleet, _elements(True, True, False, action="Re-clean", owner="A Lee"), functional_risk="FR1")
    assert low.score_percent == Decimal("66.7") and low.stars == 0 and not low.meets_target
    assert services.stars_for(Decimal("98")) == 5 and services.stars_for(Decimal("80")) == 1


def test_swab_results_pass_or_fail_against_the_atp_setting(fleet, settings):
    settings.CANDOUR_CLEAN_ATP_PASS_MAX_RLU = 200
    found = _audit(
        fleet,
        _elements(True),
        swabs=[services.Swab("Stretcher rail", 150), services.Swab("Grab handle", 201)],
    )
    assert {swab.surface: swab.passed for swab in SwabResult.objects.filter(audit=found)} == {
        "Stretcher rail": True,
        "Grab handle": False,
    }


def test_the_audit_form_names_the_failed_elements_then_lists_the_audit_by_station(fleet):
    client = Client()
    client.force_login(fleet.lead)
    form = {
        "where": f"station:{fleet.ashby.public_id}",
        "functional_risk": "FR5",
        "audited_on_day": "18",
        "audited_on_month": "11",
        "audited_on_year": "2026",
        "element_1": "Sluice",
        "result_1": "pass",
        "element_2": "Kit store floor",
        "result_2": "fail",
    }
    refused = client.post(reverse("fleet:record_audit"), form)
    assert refused.status_code == 200 and "Kit store floor" in refused.content.decode()
    assert 'value="Sluice"' in refused.content.decode()
    done = client.post(
        reverse("fleet:record_audit"), form | {"action_2": "Mop daily", "owner_2": "Station lead"}
    )
    assert done.status_code == 302
    listed = client.get(done["Location"]).content.decode()
    assert "50.0%" in listed and "Mop daily" in listed and "Ashby" in listed


def test_a_swab_surface_without_its_reading_is_refused_on_the_form(fleet):
    client = Client()
    client.force_login(fleet.lead)
    form = {
        "where": f"station:{fleet.ashby.public_id}",
        "functional_risk": "FR5",
        "audited_on_day": "18",
        "audited_on_month": "11",
        "audited_on_year": "2026",
        "element_1": "Sluice",
        "result_1": "pass",
        "swab_1": "Grab handle",
    }
    refused = client.post(reverse("fleet:record_audit"), form)
    assert "Enter the reading of the swab of Grab handle" in refused.content.decode()
    assert not CleanlinessAudit.objects.exists()


def test_the_overdue_deep_clean_list_filters_by_station(fleet, crew, make_user):
    ashby_van = fleet.vehicle()
    belton_van = fleet.vehicle("NB201", station=fleet.belton)
    long_ago = NOW - dt.timedelta(days=60)
    services.record_clean(by=crew, vehicle=ashby_van, clean_type="deep", done_at=long_ago)
    services.record_clean(by=fleet.lead, vehicle=belton_van, clean_type="deep", done_at=long_ago)
    client = Client()
    client.force_login(fleet.lead)
    listed = client.get(f"{reverse('fleet:list_overdue_cleans')}?station={fleet.belton.public_id}")
    assert "NB201" in listed.content.decode() and "NA101" not in listed.content.decode()
    manager = Client()
    manager.force_login(fleet.ashby_manager)
    assert "NB201" not in manager.get(reverse("fleet:list_overdue_cleans")).content.decode()
