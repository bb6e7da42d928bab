"""Bariatric provision: what can take which patient and whether its lifting equipment is in date for LOLER,
each incident's request from the ask to a suitable resource on scene, waits beyond the trust's limit
reviewed once, and areas compared by their bariatric vehicles and waits, too few cases never judged."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candour.core.refusals import Refused
from candour.fleet import queries, services
from candour.fleet.models import BariatricRequest, MaintenanceKind, PartnerProvider
from candour.operations.models import CadIncident, Channel
from candour.people.roles import Role
from tests.fleet.conftest import TODAY
from tests.support.factories import AreaFactory, StationFactory

NOW = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rated(fleet, asset, kg, width=None):
    return services.record_capability(
        by=fleet.lead, asset=asset, safe_working_load_kg=kg, max_patient_width_cm=width
    )


@pytest.fixture
def bariatric_van(fleet):
    """NA101 at Ashby carrying a stretcher rated to 350 kg, its LOLER examination in date until May."""
    van = fleet.vehicle()
    stretcher = fleet.stretcher("STR-B1", vehicle=van)
    _rated(fleet, stretcher, 350, 90)
    fleet.schedule(stretcher, MaintenanceKind.LOLER, starts_on=dt.date(2026, 11, 1))
    return van


@pytest.fixture
def south(fleet):
    """A second area, South, with its station Carlby."""
    area = AreaFactory(name="South", parent=fleet.trust)
    return area, StationFactory(name="Carlby", parent=area)


@pytest.fixture
def eoc(fleet, make_user):
    return make_user(Role.EOC_MANAGER, fleet.trust)


def _request(by, station, reference, *, waited_minutes=None, requested=NOW - dt.timedelta(hours=3), **more):
    if waited_minutes is not None:
        more.setdefault("assigned_at", requested + dt.timedelta(minutes=1))
        more.setdefault("on_scene_at", requested + dt.timedelta(minutes=waited_minutes))
        more.setdefault("outcome", "conveyed")
    return services.record_bariatric_request(
        by=by,
        station=station,
        incident_reference=reference,
        requested_at=requested,
        progress=services.Progress(**more),
    )


def test_the_capability_register_shows_what_can_take_a_patient_with_its_loler_state(fleet, bariatric_van):
    chair = fleet.stretcher("CHAIR-1", loler_category="lifts_people")
    _rated(fleet, chair, 180, 60)
    fleet.schedule(chair, MaintenanceKind.LOLER, starts_on=dt.date(2026, 3, 1))  # due 1 September: overdue
    every = {row.asset_tag: row.loler_state for row in queries.capability_register(fleet.lead, TODAY)}
    assert every == {"STR-B1": "in_date", "CHAIR-1": "overdue"}
    heavy = queries.capability_register(fleet.lead, TODAY, weight_kg=200)
    assert [row.asset_tag for row in heavy] == ["STR-B1"]
    wide = queries.capability_register(fleet.lead, TODAY, width_cm=95)
    assert not wide.exists()
    page = _client(fleet.lead).get(f"{reverse('fleet:list_capability')}?weight_kg=200")
    html = page.content.decode()
    assert "STR-B1" in html and "CHAIR-1" not in html and "LOLER in date" in html


def test_a_bariatric_vehicle_is_ready_only_while_its_lifting_equipment_is_in_date_for_loler(
    fleet, bariatric_van
):
    fleet.vehicle("NA102")  # no bariatric equipment: not counted at all
    [row] = queries.bariatric_vehicles(fleet.lead, TODAY)
    assert row.vehicle == bariatric_van and row.is_ready
    after = dt.date(2027, 5, 2)  # six months on, the examination is past due
    [row] = queries.bariatric_vehicles(fleet.lead, after)
    assert not row.is_ready and row.equipment[0].loler_state == "overdue"


def test_equipment_rated_below_the_trusts_bariatric_load_makes_no_bariatric_vehicle(
    fleet, bariatric_van, settings
):
    settings.CANDOUR_FLEET_BARIATRIC_SWL_KG = 400
    assert queries.bariatric_vehicles(fleet.lead, TODAY) == []


def test_a_request_keeps_its_wait_from_the_request_to_a_resource_on_scene(fleet, bariatric_van, eoc):
    found = _request(eoc, fleet.ashby, "INC-1", waited_minutes=45, vehicle=bariatric_van)
    assert found.wait_seconds == 45 * 60 and found.resource == "NA101"
    assert found.trust == fleet.trust


def test_a_second_request_for_the_same_incident_is_refused_naming_the_first(fleet, bariatric_van, eoc):
    _request(eoc, fleet.ashby, "INC-1")
    with pytest.raises(Refused, match="INC-1 already has a bariatric request, recorded by"):
        _request(fleet.lead, fleet.belton, " inc-1 ")
    assert BariatricRequest.objects.count() == 1


def test_a_request_that_does_not_add_up_is_refused_naming_every_problem(fleet, bariatric_van, eoc):
    plain = fleet.vehicle("NA102")
    with pytest.raises(Refused) as refused:
        _request(
            eoc,
            fleet.ashby,
            "INC-2",
            requested=NOW + dt.timedelta(minutes=5),
            on_scene_at=NOW - dt.timedelta(hours=1),
            vehicle=plain,
            outcome="conveyed",
        )
    messages = " ".join(refused.value.messages)
    assert "cannot be in the future" in messages
    assert "Enter when the resource on scene was assigned" in messages
    assert "NA102 carries no lifting equipment rated to 300 kg" in messages
    with pytest.raises(Refused, match="Say which resource was assigned"):
        _request(eoc, fleet.ashby, "INC-2", assigned_at=NOW - dt.timedelta(hours=1))
    with pytest.raises(Refused, match="cannot be on scene before it was assigned"):
        _request(
            eoc,
            fleet.ashby,
            "INC-2",
            assigned_at=NOW - dt.timedelta(hours=1),
            on_scene_at=NOW - dt.timedelta(hours=2),
            vehicle=bariatric_van,
        )
    assert not BariatricRequest.objects.exists()


def test_a_wait_beyond_the_limit_is_reviewed_once(fleet, bariatric_van, eoc):
    long = _request(eoc, fleet.ashby, "INC-1", waited_minutes=90, vehicle=bariatric_van)
    _request(eoc, fleet.ashby, "INC-2", waited_minutes=30, vehicle=bariatric_van)
    nobody = _request(eoc, fleet.ashby, "INC-3")  # three hours and no one there
    _request(eoc, fleet.ashby, "INC-4", outcome="cancelled")
    waiting = queries.bariatric_requests(fleet.lead, NOW, show="review")
    assert {row.incident_reference for row in waiting} == {"INC-1", "INC-3"}
    services.review_bariatric_request(by=fleet.lead, request=long, note="No bariatric crew on in the area")
    assert {row.incident_reference for row in queries.bariatric_requests(fleet.lead, NOW, show="review")} == {
        "INC-3"
    }
    with pytest.raises(Refused, match="This request was reviewed by"):
        services.review_bariatric_request(by=fleet.lead, request=long, note="Again")
    with pytest.raises(Refused, match="Enter what the review found"):
        services.review_bariatric_request(by=fleet.lead, request=nobody, note="  ")


def test_the_review_limit_is_a_trust_setting(fleet, bariatric_van, eoc, settings):
    settings.CANDOUR_FLEET_BARIATRIC_WAIT_REVIEW_MINUTES = 120
    _request(eoc, fleet.ashby, "INC-1", waited_minutes=90, vehicle=bariatric_van)
    assert not queries.bariatric_requests(fleet.lead, NOW, show="beyond").exists()


def test_updating_a_request_records_the_resource_on_scene_and_its_wait(fleet, bariatric_van, eoc):
    found = _request(eoc, fleet.ashby, "INC-1")
    partner = services.record_partner(
        by=fleet.lead, trust=fleet.trust, name="Shire Bariatric Transport", capacity=2, contact="01234 567890"
    )
    services.update_bariatric_request(
        by=eoc,
        request=found,
        progress=services.Progress(
            assigned_at=NOW - dt.timedelta(hours=2),
            on_scene_at=NOW - dt.timedelta(hours=1),
            partner=partner,
            outcome="conveyed",
        ),
    )
    found.refresh_from_db()
    assert found.wait_seconds == 2 * 3600 and found.resource == "Shire Bariatric Transport"


def test_a_partner_name_is_used_once(fleet):
    services.record_partner(by=fleet.lead, trust=fleet.trust, name="Shire Transport", capacity=2, contact="x")
    with pytest.raises(Refused, match="Shire Transport is already a partner provider"):
        services.record_partner(
            by=fleet.lead, trust=fleet.trust, name="shire transport", capacity=1, contact="y"
        )
    assert PartnerProvider.objects.count() == 1


def test_areas_are_compared_by_vehicles_and_waits_and_too_few_are_not_judged(
    fleet, bariatric_van, south, eoc
):
    _, carlby = south
    for number, minutes in enumerate([10, 20, 30, 40, 100], start=1):
        _request(eoc, fleet.ashby, f"N-{number}", waited_minutes=minutes, vehicle=bariatric_van)
    _request(
        eoc, carlby, "S-1", requested=NOW - dt.timedelta(hours=4), waited_minutes=200, vehicle=bariatric_van
    )
    _request(eoc, carlby, "S-2")
    provision = queries.provision_by_area(fleet.lead, NOW, TODAY)
    north, far = (row for row in provision.areas)
    assert north.area == fleet.north and (north.capable_vehicles, north.ready_vehicles) == (1, 1)
    assert north.waits.requests == 5 and north.waits.mean_seconds == 40 * 60
    # 90th centile by linear interpolation: 40 + 0.6 (100 - 40) minutes.
    assert north.waits.centile90_seconds == 76 * 60
    assert north.waits.beyond == 1 and north.waits.awaiting_review == 1
    assert far.area.name == "South" and far.capable_vehicles == 0
    assert far.waits.requests == 2 and far.waits.waited == 1
    assert far.waits.mean_seconds is None and far.waits.centile90_seconds is None and far.waits.too_few
    assert provision.total.waits.requests == 7 and provision.total.waits.mean_seconds is not None

    html = _client(fleet.lead).get(reverse("fleet:show_bariatric_provision")).content.decode()
    assert "Too few to compare" in html and "40 minutes" in html
    rows_link = f"{reverse('fleet:list_bariatric_requests')}?area={far.area.public_id}&amp;months=12"
    assert rows_link in html
    rows = _client(fleet.lead).get(rows_link.replace("&amp;", "&"))
    assert rows.content.decode().count("data-counted-row") == 2


def test_old_requests_fall_out_of_the_period(fleet, bariatric_van, eoc):
    with time_machine.travel(NOW - dt.timedelta(days=200), tick=False):
        _request(eoc, fleet.ashby, "OLD-1", requested=NOW - dt.timedelta(days=201))
    _request(eoc, fleet.ashby, "NEW-1")
    assert queries.provision_by_area(fleet.lead, NOW, TODAY, months=3).total.waits.requests == 1
    assert queries.provision_by_area(fleet.lead, NOW, TODAY, months=12).total.waits.requests == 2


def test_the_eoc_records_a_request_on_the_form_once_and_bad_input_is_named(fleet, bariatric_van, eoc):
    client = _client(eoc)
    url = reverse("fleet:record_bariatric_request")
    form = {
        "station": str(fleet.ashby.public_id),
        "incident_reference": "INC-9",
        "requested_on_day": "18",
        "requested_on_month": "11",
        "requested_on_year": "2026",
        "requested_time": "09:00",
        "resource": f"vehicle:{bariatric_van.public_id}",
        "assigned_on_day": "18",
        "assigned_on_month": "11",
        "assigned_on_year": "2026",
    }
    refused = client.post(url, form)
    assert (
        refused.status_code == 200
        and "Enter the time of the resource being assigned" in refused.content.decode()
    )
    assert not BariatricRequest.objects.exists()
    done = client.post(url, form | {"assigned_time": "09:10"})
    assert done.status_code == 302
    again = client.post(url, form | {"assigned_time": "09:10"})
    assert "INC-9 already has a bariatric request" in again.content.decode()
    assert BariatricRequest.objects.get().assigned_at == dt.datetime(2026, 11, 18, 9, 10, tzinfo=dt.UTC)


def test_the_update_form_is_filled_in_and_saves_what_followed(fleet, bariatric_van, eoc):
    found = _request(
        eoc, fleet.ashby, "INC-1", assigned_at=NOW - dt.timedelta(hours=2), vehicle=bariatric_van
    )
    client = _client(eoc)
    url = reverse("fleet:update_bariatric_request", args=[found.public_id])
    page = client.get(url).content.decode()
    assert f'value="vehicle:{bariatric_van.public_id}" selected' in page
    done = client.post(
        url,
        {
            "resource": f"vehicle:{bariatric_van.public_id}",
            "assigned_on_day": "18",
            "assigned_on_month": "11",
            "assigned_on_year": "2026",
            "assigned_time": "10:00",
            "on_scene_on_day": "18",
            "on_scene_on_month": "11",
            "on_scene_on_year": "2026",
            "on_scene_time": "10:30",
            "outcome": "conveyed",
        },
    )
    assert done.status_code == 302
    found.refresh_from_db()
    assert found.wait_seconds == 90 * 60 and found.outcome == "conveyed"


def test_crews_cannot_see_bariatric_provision_and_a_station_manager_sees_only_their_area(
    fleet, bariatric_van, south, make_user, eoc
):
    crew = make_user(Role.STAFF, fleet.ashby)
    assert _client(crew).get(reverse("fleet:show_bariatric_provision")).status_code == 403
    area, carlby = south
    _request(eoc, carlby, "S-1")
    manager = _client(fleet.ashby_manager)
    assert manager.get(f"{reverse('fleet:list_bariatric_requests')}?area={area.public_id}").status_code == 404
    listed = manager.get(reverse("fleet:list_bariatric_requests")).content.decode()
    assert "S-1" not in listed
    request = BariatricRequest.objects.get()
    assert manager.get(reverse("fleet:update_bariatric_request", args=[request.public_id])).status_code == 404


def test_the_fleet_lead_records_what_an_asset_can_take_and_a_station_manager_cannot(fleet, bariatric_van):
    stretcher = bariatric_van.equipment.get()
    url = reverse("fleet:record_capability", args=[stretcher.public_id])
    assert _client(fleet.ashby_manager).get(url).status_code == 403
    bad = _client(fleet.lead).post(url, {"safe_working_load_kg": "heavy"})
    assert "Enter the safe working load as a whole number of kg" in bad.content.decode()
    done = _client(fleet.lead).post(url, {"safe_working_load_kg": "454", "max_patient_width_cm": "100"})
    assert done.status_code == 302
    stretcher.refresh_from_db()
    assert (stretcher.safe_working_load_kg, stretcher.max_patient_width_cm) == (454, 100)


def _cad_incident(station, incident_id, connected, *, bariatric=True):
    return CadIncident.objects.create(
        incident_id=incident_id,
        station=station,
        category="C2",
        call_connected=connected,
        conveyed=False,
        channel=Channel.VOICE,
        month=connected.date().replace(day=1),
        counted_category="C2",
        clock_rules="ARP 2017",
        bariatric=bariatric,
    )


def test_incidents_the_cad_flagged_bariatric_without_a_request_are_offered_to_record(
    fleet, bariatric_van, eoc
):
    _cad_incident(fleet.ashby, "CAD-1", NOW - dt.timedelta(hours=5))
    _cad_incident(fleet.ashby, "CAD-2", NOW - dt.timedelta(hours=4))
    _cad_incident(fleet.ashby, "CAD-3", NOW - dt.timedelta(hours=4), bariatric=False)
    _request(eoc, fleet.ashby, "CAD-2")
    assert [row.incident_id for row in queries.flagged_without_request(fleet.lead, TODAY)] == ["CAD-1"]
    client = _client(eoc)
    listed = client.get(reverse("fleet:list_flagged_incidents")).content.decode()
    assert listed.count("data-counted-row") == 1
    form = client.get(f"{reverse('fleet:record_bariatric_request')}?incident=CAD-1").content.decode()
    assert 'value="CAD-1"' in form and 'value="07:00"' in form
    provision = _client(fleet.lead).get(reverse("fleet:show_bariatric_provision")).content.decode()
    assert f"{reverse('fleet:list_flagged_incidents')}?months=12" in provision


def test_a_quality_lead_reviews_a_long_wait_on_the_form_once(fleet, bariatric_van, eoc, make_user):
    quality = make_user(Role.QUALITY_LEAD, fleet.trust)
    found = _request(eoc, fleet.ashby, "INC-1", waited_minutes=90, vehicle=bariatric_van)
    client = _client(quality)
    listed = client.get(f"{reverse('fleet:list_bariatric_requests')}?show=review").content.decode()
    url = reverse("fleet:review_bariatric_request", args=[found.public_id])
    assert url in listed
    assert "Enter what the review found" in client.post(url, {"note": ""}).content.decode()
    assert client.post(url, {"note": "Only crew on shift was at hospital"}).status_code == 302
    again = client.post(url, {"note": "Again"}).content.decode()
    assert "This request was reviewed by" in again
    found.refresh_from_db()
    assert found.review_note == "Only crew on shift was at hospital" and found.reviewed_by == quality
    assert _client(eoc).get(url).status_code == 403  # the EOC records; it does not review


def test_the_fleet_lead_adds_a_partner_on_the_form_once(fleet):
    client = _client(fleet.lead)
    url = reverse("fleet:record_partner")
    form = {"name": "Shire Transport", "capacity": "2", "contact": "01234 567890"}
    assert "crews it can send: at least 1" in client.post(url, form | {"capacity": "0"}).content.decode()
    assert client.post(url, form).status_code == 302
    assert "Shire Transport is already a partner provider" in client.post(url, form).content.decode()
    assert PartnerProvider.objects.get().capacity == 2
    assert "Shire Transport" in client.get(reverse("fleet:show_bariatric_provision")).content.decode()
