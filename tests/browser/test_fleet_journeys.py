"""Fleet journeys in the browser, each walked on a phone (a crew does the check at the start of a shift, and
the fleet lead records results at the vehicle), with axe on every page at that size and at desktop's: a crew
completes a vehicle check and reports a defect that takes the vehicle off road; the fleet lead records a LOLER
examination that clears a quarantined stretcher."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.fleet import services
from candour.fleet.models import MaintenanceKind, Vehicle, VehicleStatus
from candour.people.roles import Role
from tests.support.factories import AreaFactory, StationFactory

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(journey):
    """The journey on a phone's screen from its first page."""
    journey.page.set_viewport_size(PHONE)
    return journey


@pytest.fixture
def ashby(make_user):
    """Ashby station with ambulance NA101 carrying stretcher STR-0042; its crew member and the fleet lead."""
    station = StationFactory(name="Ashby Ambulance Station", parent=AreaFactory(name="Calder Vale"))
    lead = make_user(Role.FLEET_LEAD, station.parent.parent)
    vehicle = services.add_vehicle(
        by=lead,
        call_sign="NA101",
        registration="YX26 ABC",
        vehicle_type="emergency_ambulance",
        station=station,
        make="Fiat",
        model="Ducato",
        serial_number="VIN101",
        asset_tag="V-NA101",
    )
    stretcher = services.add_equipment(
        by=lead,
        kind="lifting_equipment",
        make="Ferno",
        model="Pegasus",
        serial_number="SN42",
        asset_tag="STR-0042",
        on_vehicle=vehicle,
        loler_category="lifts_people",
    )
    services.add_schedule(
        by=lead,
        asset=stretcher,
        kind=MaintenanceKind.LOLER,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
    )
    return {"crew": make_user(Role.STAFF, station), "lead": lead, "vehicle": vehicle, "stretcher": stretcher}


def test_given_a_crew_at_the_start_of_a_shift_when_they_report_an_unsafe_defect_then_the_vehicle_is_off_road(
    phone, ashby
):
    journey = phone
    page = journey.page
    vehicle = ashby["vehicle"]
    items = services.checklist_for(vehicle)

    # given_a_crew_member_opens_the_check_of_their_vehicle_on_a_phone
    journey.sign_in(ashby["crew"].email)
    journey.visit("/fleet/checks/")
    journey.click_link("Check NA101")

    # when_they_answer_no_without_a_note_they_are_told_what_to_say
    page.get_by_label("Day shift").check()
    for item in items:
        page.locator(f"input[name=item_{item.pk}][value=yes]").check()
    page.locator(f"input[name=item_{items[0].pk}][value=no]").check()
    journey.press_button("Send the check")
    expect(page.get_by_role("link", name=f"Say what is wrong: {items[0].text}")).to_be_visible()

    # and_they_describe_the_defect_and_mark_it_unsafe
    page.locator(f"textarea[name=note_{items[0].pk}]").fill("Nearside front tyre has a bulge")
    page.locator(f"input[name=unsafe_{items[0].pk}]").check()
    journey.press_button("Send the check")

    # then_the_vehicle_is_off_road_and_the_fleet_lead_sees_the_defect
    expect(page.get_by_text("NA101 is off road: do not use it")).to_be_visible()
    assert Vehicle.objects.get(pk=vehicle.pk).status == VehicleStatus.OFF_ROAD
    journey.press_button("Sign out")
    journey.sign_in(ashby["lead"].email)
    journey.visit(f"/fleet/vehicles/{vehicle.public_id}/")
    defects = page.get_by_role("listitem").filter(has_text="Nearside front tyre has a bulge")
    expect(defects).to_contain_text("unsafe: off road until cleared")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Off road")


def test_given_a_quarantined_stretcher_when_the_fleet_lead_records_a_passing_loler_exam_then_it_is_back(
    phone, ashby
):
    journey = phone
    page = journey.page
    stretcher = ashby["stretcher"]
    today = timezone.localdate()
    services.record_result(
        by=ashby["lead"],
        result=services.Result(
            "STR-0042",
            "loler",
            today,
            "fail",
            defects="Cracked weld on the lifting arm",
            danger_to_people=True,
        ),
    )

    # given_the_fleet_lead_on_a_phone_sees_the_stretcher_out_of_service
    journey.sign_in(ashby["lead"].email)
    journey.visit(f"/fleet/equipment/{stretcher.public_id}/")
    expect(page.get_by_text("Cracked weld on the lifting arm").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarantined")

    # when_they_record_the_examination_after_the_repair
    journey.press_button("Record a result")
    expect(page.get_by_label("Asset tag")).to_have_value("STR-0042")
    page.get_by_label("What was done").select_option("loler")
    done_on = page.get_by_role("group", name="Date it was done")
    done_on.get_by_label("Day").fill(str(today.day))
    done_on.get_by_label("Month").fill(str(today.month))
    done_on.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Pass", exact=True).check()
    journey.fill("Engineer or examiner", "A. Examiner, Safe Lift Ltd")
    journey.press_button("Record the result")

    # then_the_stretcher_is_back_in_service_and_nothing_is_overdue
    assert page.viewport_size == PHONE
    expect(page.get_by_text("LOLER thorough examination recorded for STR-0042")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In service")
    journey.click_link("Back to equipment at Ashby Ambulance Station")
    journey.visit("/fleet/")
    expect(page.get_by_text("Nothing at your stations is overdue or quarantined.")).to_be_visible()
