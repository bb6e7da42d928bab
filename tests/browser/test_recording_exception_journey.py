"""A call with no recording, worked in the browser with axe on every page: the CAD's call log and the
recorder's index come in, the nightly check finds a call the recorder missed, and the operations manager
follows it from the overview, sees the recorder had nothing at that position, and closes it as a recorder
fault."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.core.models import AuditEvent
from candour.operations.call_importers import import_call_log, import_recorder_index
from candour.operations.importers import import_cad_incidents
from candour.operations.models import Hospital, RecordingException
from candour.people.roles import Role
from tests.operations.test_cad_incidents_import import csv_file, row
from tests.support.factories import AreaFactory, StationFactory


def _csv(*lines):
    upload = io.BytesIO(("\n".join(lines) + "\n").encode())
    upload.name = "feed.csv"
    return upload


@pytest.fixture
def unrecorded_call(make_user):
    """Two calls two days ago about an incident at Ashby; the recorder has the first and not the second."""
    area = AreaFactory(name="Calder")
    StationFactory(code="S-ASHBY", name="Ashby Ambulance Station", parent=area)
    connected = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    Hospital.objects.create(code="NMG", name="Northmoor General")

    def at(minutes):
        return (connected + dt.timedelta(minutes=minutes)).isoformat()

    incidents = import_cad_incidents(
        by=None,
        file=csv_file(
            row(
                "INC-7001",
                call_ids="C-100;C-101",
                station="S-ASHBY",
                call_connected=at(0),
                first_assigned=at(1),
                first_on_scene=at(12),
                first_transport_on_scene=at(12),
                arrived_at_hospital=at(40),
                handover_complete=at(55),
                crew_clear=at(65),
            )
        ),
    )
    calls = import_call_log(
        by=None,
        file=_csv(
            "call_id,line,connected,answered,ended,channel,call_handler,position",
            f"C-100,999-1,{at(0)},{at(0.1)},{at(5)},voice,300001,EOC-N-07",
            f"C-101,999-1,{at(6)},{at(6.1)},{at(12)},voice,300001,EOC-N-07",
        ),
    )
    recorded = import_recorder_index(
        by=None,
        file=_csv(
            "recording_id,started,duration_seconds,channel,position,call_id",
            f"R-1,{at(0.1)},294,voice,EOC-N-07,C-100",
        ),
    )
    assert incidents.ok and calls.ok and recorded.ok
    return make_user(Role.OPERATIONS_MANAGER, area)


def test_given_a_call_with_no_recording_when_the_manager_works_it_then_it_is_closed_with_the_reason(
    journey, unrecorded_call
):
    page = journey.page

    # given_the_manager_sees_the_open_exception_on_the_overview
    journey.sign_in(unrecorded_call.email)
    journey.visit("/operations/")
    journey.click_link("1 call recording exception open")
    expect(page.get_by_role("heading", level=1)).to_have_text("Call recording exceptions")
    expect(page.locator("[data-counted-row]")).to_have_count(1)
    journey.click_link("C-101")

    # when_they_read_what_the_recorder_had_and_send_the_form_without_a_reason_they_are_told
    expect(page.get_by_role("heading", level=1)).to_have_text("C-101")
    expect(page.get_by_text("R-1", exact=True)).to_be_visible()
    journey.fill("What you found", "Recorder at position 7 stopped at 14:20; supplier ticket 5521")
    journey.press_button("Close the exception")
    expect(page.get_by_role("link", name="Select why the exception can be closed")).to_be_visible()

    # and_they_give_the_reason
    page.get_by_label("Recorder fault: the call was not recorded").check()
    journey.press_button("Close the exception")

    # then_the_worklist_is_empty_and_the_closure_is_audited
    expect(page.get_by_text("Call with no recording for C-101 closed")).to_be_visible()
    expect(page.get_by_text("No open exceptions", exact=False)).to_be_visible()
    exception = RecordingException.objects.get(call__call_id="C-101")
    assert (exception.close_reason, exception.closed_by) == ("recorder_fault", unrecorded_call)
    assert AuditEvent.objects.filter(action="recording_exception_closed", actor=unrecorded_call).exists()
