"""The call recording pages: the operations manager works an exception to a close from the worklist, and
nobody else opens them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.operations.models import Recording, RecordingException
from candour.operations.services import recordings
from candour.people.roles import Role
from tests.operations.walk import _unrecorded_call
from tests.support.factories import AreaFactory, StationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    area = AreaFactory()
    station, elsewhere = StationFactory(parent=area), StationFactory()
    exception = RecordingException.objects.get(public_id=_unrecorded_call(station))
    RecordingException.objects.get(public_id=_unrecorded_call(elsewhere))
    return {
        "exception": exception,
        "manager": make_user(Role.OPERATIONS_MANAGER, area),
        "eoc_manager": make_user(Role.EOC_MANAGER, area.parent),
        "paramedic": make_user(Role.STAFF, station),
        "quality_lead": make_user(Role.QUALITY_LEAD, area.parent),
    }


def close_url(exception):
    return reverse("operations:close_recording_exception", kwargs={"exception_id": exception.public_id})


def test_the_worklist_shows_the_managers_open_exceptions_and_not_another_trusts(client_for, world):
    page = client_for(world["manager"]).get(reverse("operations:list_recording_exceptions")).content.decode()

    assert page.count("data-counted-row") == 1
    assert world["exception"].call.call_id in page and "1 critical" in page


def test_the_manager_closes_an_exception_with_a_reason_and_note_once_and_it_is_audited(client_for, world):
    client, exception = client_for(world["manager"]), world["exception"]
    form = client.get(close_url(exception)).content.decode()
    assert "Close the exception" in form

    response = client.post(
        close_url(exception), {"reason": "recorder_fault", "note": "Position 7 down, ticket 881"}
    )

    assert response.status_code == 302
    exception.refresh_from_db()
    assert (exception.close_reason, exception.close_note, exception.closed_by) == (
        "recorder_fault",
        "Position 7 down, ticket 881",
        world["manager"],
    )
    event = AuditEvent.objects.get(action="recording_exception_closed")
    assert event.actor == world["manager"]
    again = client.post(close_url(exception), {"reason": "test_call", "note": "second go"})
    exception.refresh_from_db()
    assert exception.close_reason == "recorder_fault" and again.status_code == 200
    assert AuditEvent.objects.filter(action="recording_exception_closed").count() == 1


def test_closing_without_a_reason_or_note_says_what_is_missing_and_writes_nothing(client_for, world):
    page = client_for(world["manager"]).post(close_url(world["exception"]), {}).content.decode()

    assert "Select why the exception can be closed" in page and "Enter what you found" in page
    assert RecordingException.objects.open().count() == 2


def test_the_page_shows_what_the_recorder_had_at_that_position_around_the_time(client_for, world):
    call = world["exception"].call
    Recording.objects.create(
        recording_id="R-NEARBY",
        started=call.answered + dt.timedelta(minutes=3),
        duration_seconds=60,
        channel="voice",
        position="P7",
    )

    page = client_for(world["manager"]).get(close_url(world["exception"])).content.decode()

    assert "R-NEARBY" in page and "No call" in page


def test_a_recording_of_a_call_outside_the_managers_scope_says_so_without_naming_it(client_for, world):
    # The position answers calls for every area: the other trust's call was recorded there just after.
    call = world["exception"].call
    theirs = RecordingException.objects.exclude(pk=world["exception"].pk).get().call
    theirs.recording = Recording.objects.create(
        recording_id="R-THEIRS",
        started=call.answered + dt.timedelta(minutes=2),
        duration_seconds=60,
        channel="voice",
        position="P7",
    )
    theirs.save()

    page = client_for(world["manager"]).get(close_url(world["exception"])).content.decode()

    assert "R-THEIRS" in page and "A call outside your scope" in page
    assert theirs.call_id not in page


def test_check_now_reconciles_the_recent_days_and_says_what_it_found(client_for, world):
    response = client_for(world["eoc_manager"]).post(reverse("operations:check_recordings_now"), follow=True)

    assert "Recordings checked: 2 calls checked" in response.content.decode()
    assert AuditEvent.objects.filter(action="recordings_reconciled", actor=world["eoc_manager"]).exists()


def test_check_now_tells_an_area_manager_only_what_is_open_in_their_scope(client_for, world):
    response = client_for(world["manager"]).post(reverse("operations:check_recordings_now"), follow=True)

    page = response.content.decode()
    assert "Recordings checked. Open in your scope: 1 exception, 1 critical." in page
    assert "2 calls checked" not in page


def test_only_the_operations_and_eoc_managers_work_exceptions(client_for, world):
    for user in (world["paramedic"], world["quality_lead"]):
        client = client_for(user)
        assert client.get(reverse("operations:list_recording_exceptions")).status_code == 403
        assert client.get(close_url(world["exception"])).status_code == 403


def test_a_manager_cannot_open_another_trusts_exception(client_for, world):
    other = RecordingException.objects.exclude(pk=world["exception"].pk).get()

    assert client_for(world["manager"]).get(close_url(other)).status_code == 404


def test_the_service_refuses_to_close_an_exception_its_caller_may_not_reach(world):
    # Whoever calls it (a view, an API, a task), closing acts only for someone whose scope reaches the call.
    other = RecordingException.objects.exclude(pk=world["exception"].pk).get()

    with pytest.raises(PermissionDenied):
        recordings.close_exception(
            by=world["manager"], exception_id=other.pk, reason="archived", note="Found in the archive."
        )

    assert RecordingException.objects.get(pk=other.pk).closed_at is None


def test_the_overview_counts_open_exceptions_for_those_who_work_them_only(client_for, world):
    overview = reverse("operations:show_overview")

    manager_page = client_for(world["manager"]).get(overview).content.decode()
    quality_page = client_for(world["quality_lead"]).get(overview).content.decode()

    assert "1 call recording exception open" in manager_page and "1 critical" in manager_page
    assert "call recording exception" not in quality_page
