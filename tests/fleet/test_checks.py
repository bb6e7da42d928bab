"""The vehicle daily inspection: a checklist per vehicle type, every "no" with a note raising a defect, an
unsafe defect taking the vehicle off road until it is cleared, and one check per vehicle and shift."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.fleet import services
from candour.fleet.models import (
    CheckAnswer,
    Defect,
    MaintenanceKind,
    VehicleCheck,
    VehicleStatus,
    VehicleType,
)
from candour.people.roles import Role


@pytest.fixture
def crew(fleet, make_user):
    return make_user(Role.STAFF, fleet.ashby)


def _all_yes(vehicle, **noes):
    """Yes to every question but those given by position (1-based): position -> Answer."""
    items = services.checklist_for(vehicle)
    answers = {item.pk: services.Answer(True) for item in items}
    for position, answer in noes.items():
        answers[items[int(position.removeprefix("q")) - 1].pk] = answer
    return answers


def _check(by, vehicle, shift="day", **noes):
    return services.submit_vehicle_check(
        by=by, vehicle=vehicle, shift=shift, answers=_all_yes(vehicle, **noes)
    )


def test_each_vehicle_type_has_its_own_checklist(fleet):
    ambulance = services.checklist_for(fleet.vehicle("NA101"))
    car = services.checklist_for(fleet.vehicle("NA102", vehicle_type=VehicleType.RAPID_RESPONSE_CAR))
    bariatric = services.checklist_for(fleet.vehicle("NA103", vehicle_type=VehicleType.BARIATRIC))
    assert ambulance and car and bariatric
    assert any("bariatric stretcher" in item.text for item in bariatric)
    assert not any("bariatric" in item.text for item in ambulance)
    assert any("drugs pouch is sealed" in item.text for item in car)


def test_a_check_with_every_answer_yes_is_recorded_with_no_defects(fleet, crew):
    vehicle = fleet.vehicle()
    check = _check(crew, vehicle)
    assert check.answers.count() == len(services.checklist_for(vehicle))
    assert not Defect.objects.exists()
    assert AuditEvent.objects.filter(action="submitted_vehicle_check").count() == 1


def test_a_no_without_a_note_is_refused_and_nothing_is_written(fleet, crew):
    vehicle = fleet.vehicle()
    with pytest.raises(Refused) as refused:
        _check(crew, vehicle, q2=services.Answer(False, note=" "))
    first = services.checklist_for(vehicle)[1]
    assert refused.value.field == f"note_{first.pk}"
    assert refused.value.message == f"Say what is wrong: {first.text}"
    assert not VehicleCheck.objects.exists() and not CheckAnswer.objects.exists()


def test_an_unanswered_question_is_refused(fleet, crew):
    vehicle = fleet.vehicle()
    answers = _all_yes(vehicle)
    answers.pop(next(iter(answers)))
    with pytest.raises(Refused, match="Answer yes or no: Tyres, lights and indicators"):
        services.submit_vehicle_check(by=crew, vehicle=vehicle, shift="day", answers=answers)


def test_a_no_raises_a_defect_for_the_fleet_team_and_the_vehicle_stays_in_service(fleet, crew):
    vehicle = fleet.vehicle()
    _check(crew, vehicle, q3=services.Answer(False, note="Screen wash empty"))
    defect = Defect.objects.get()
    assert (defect.item, defect.note, defect.unsafe) == (
        "Fuel, oil and screen wash are at working levels",
        "Screen wash empty",
        False,
    )
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE


def test_an_unsafe_defect_takes_the_vehicle_off_road_until_it_is_cleared(fleet, crew):
    vehicle = fleet.vehicle()
    _check(
        crew,
        vehicle,
        q1=services.Answer(False, note="Nearside tyre has a bulge", unsafe=True),
        q3=services.Answer(False, note="Screen wash empty"),
    )
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.OFF_ROAD
    assert "Nearside tyre has a bulge" in vehicle.off_road_reason
    unsafe, minor = Defect.objects.get(unsafe=True), Defect.objects.get(unsafe=False)

    services.clear_defect(by=fleet.lead, defect=minor, how="Topped up")
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.OFF_ROAD, "a minor defect cleared does not make it safe"

    services.clear_defect(by=fleet.lead, defect=unsafe, how="Tyre replaced")
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE and vehicle.off_road_reason == ""
    assert AuditEvent.objects.filter(action="returned_vehicle_to_service").count() == 1


def test_a_yes_cannot_be_marked_unsafe(fleet, crew):
    vehicle = fleet.vehicle()
    with pytest.raises(Refused, match='Only a "no" can make the vehicle unsafe'):
        _check(crew, vehicle, q1=services.Answer(True, unsafe=True))


def test_a_checklist_sent_twice_for_the_same_shift_is_refused_and_nothing_is_written(fleet, crew, make_user):
    vehicle = fleet.vehicle()
    _check(crew, vehicle, "day")
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        _check(make_user(Role.STAFF, fleet.ashby), vehicle, "day", q1=services.Answer(False, note="Flat"))
    assert refused.value.message.startswith(
        "The day shift check of NA101 on 18 November 2026 was already sent by"
    )
    assert VehicleCheck.objects.count() == 1 and not Defect.objects.exists()
    assert AuditEvent.objects.count() == events
    assert _check(crew, vehicle, "night").shift == "night", "the night shift has its own check"


def test_a_crew_cannot_check_another_stations_vehicle(fleet, crew):
    belton_van = fleet.vehicle("NB201", station=fleet.belton)
    with pytest.raises(PermissionDenied):
        _check(crew, belton_van)
    assert Client().get(reverse("fleet:check_vehicle", args=[belton_van.public_id])).status_code == 302


def test_only_the_fleet_team_clears_defects(fleet, crew):
    vehicle = fleet.vehicle()
    _check(crew, vehicle, q1=services.Answer(False, note="Flat", unsafe=True))
    with pytest.raises(PermissionDenied):
        services.clear_defect(by=fleet.ashby_manager, defect=Defect.objects.get(), how="Pumped up")


def _form(vehicle, shift="day", **changes) -> dict:
    data = {"shift": shift}
    for item in services.checklist_for(vehicle):
        data[f"item_{item.pk}"] = "yes"
    return data | changes


def test_a_crew_on_a_phone_reports_a_defect_that_takes_the_vehicle_off_road(fleet, crew):
    vehicle = fleet.vehicle()
    client = Client()
    client.force_login(crew)
    page = client.get(reverse("fleet:check_vehicle", args=[vehicle.public_id]))
    assert page.status_code == 200 and "Tyres, lights and indicators" in page.content.decode()
    first = services.checklist_for(vehicle)[0]
    response = client.post(
        reverse("fleet:check_vehicle", args=[vehicle.public_id]),
        _form(
            vehicle,
            **{f"item_{first.pk}": "no", f"note_{first.pk}": "Tyre bulge", f"unsafe_{first.pk}": "on"},
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "NA101 is off road: do not use it" in html
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.OFF_ROAD
    again = client.post(reverse("fleet:check_vehicle", args=[vehicle.public_id]), _form(vehicle))
    assert "was already sent by" in again.content.decode()


def test_the_check_page_shows_what_on_the_vehicle_is_overdue(fleet, crew):
    vehicle = fleet.vehicle()
    fleet.schedule(vehicle.asset, MaintenanceKind.MOT, starts_on=dt.date(2025, 10, 1), interval_months=12)
    client = Client()
    client.force_login(crew)
    html = client.get(reverse("fleet:check_vehicle", args=[vehicle.public_id])).content.decode()
    assert "Overdue and possibly unsafe" in html and "MOT was due" in html


def test_the_fleet_lead_clears_a_defect_from_the_vehicle_page(fleet, crew):
    vehicle = fleet.vehicle()
    _check(crew, vehicle, q1=services.Answer(False, note="Flat", unsafe=True))
    defect = Defect.objects.get()
    client = Client()
    client.force_login(fleet.lead)
    page = client.get(reverse("fleet:show_vehicle", args=[vehicle.public_id])).content.decode()
    assert reverse("fleet:clear_defect", args=[defect.public_id]) in page
    refused = client.post(reverse("fleet:clear_defect", args=[defect.public_id]), {"how": ""})
    assert "Enter how it was put right" in refused.content.decode()
    done = client.post(reverse("fleet:clear_defect", args=[defect.public_id]), {"how": "New tyre"})
    assert done.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE
