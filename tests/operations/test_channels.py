"""Access channels and equity: responses and answer times by channel, interpreters by language, small
groups not shown, and every count leading to its incidents."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from candour.operations.models import CadCall, CadIncident, Channel
from candour.people.roles import Role
from tests.support.factories import StationFactory, make_user

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)
CHANNELS = reverse("operations:show_channels")
LISTED = reverse("operations:list_channel_incidents")
NUMBERS = iter(range(1, 1_000_000))


@pytest.fixture(autouse=True)
def _in_november_2026(settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        yield


def incident(station, *, channel="voice", category="C2", seconds=1200, language="", joined_after=None):
    connected = dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=next(NUMBERS))
    made = CadIncident.objects.create(
        incident_id=f"INC-CH{next(NUMBERS)}",
        call_ids="",
        station=station,
        category=category,
        call_connected=connected,
        first_on_scene=connected + dt.timedelta(seconds=seconds),
        first_transport_on_scene=connected + dt.timedelta(seconds=seconds),
        conveyed=False,
        channel=channel,
        interpreter_language=language,
        interpreter_joined=connected + dt.timedelta(seconds=joined_after)
        if joined_after is not None
        else None,
        month=OCTOBER,
        counted_category=category,
        response_seconds=seconds,
        clock_rules="ARP 2017",
    )
    CadCall.objects.create(
        call_id=f"C-CH{next(NUMBERS)}",
        connected=connected,
        answered=connected + dt.timedelta(seconds=30 if channel == "text" else 6),
        channel=channel,
        month=OCTOBER,
        station=station,
    )
    return made


@pytest.fixture
def manager_client():
    station = StationFactory()
    client = Client()
    client.force_login(make_user(Role.OPERATIONS_MANAGER, station.parent))
    return station, client


def test_text_relay_waits_are_set_beside_voice_and_each_count_leads_to_its_incidents(manager_client):
    station, client = manager_client
    for _ in range(5):
        incident(station, channel="voice", seconds=1200)
        incident(station, channel="text", seconds=1800)

    page = client.get(CHANNELS).content.decode()
    listed = client.get(LISTED, {"month": "2026-10", "channel": "text"}).content.decode()

    assert "Access channels, October 2026" in page
    text_row = page[page.index('<th scope="row" class="nhsuk-table__header">Text relay') :].split("</tr>")[0]
    assert "30 minutes" in text_row and "30 seconds" in text_row
    assert f"{LISTED}?month=2026-10&amp;channel=text" in page
    assert listed.count("data-counted-row") == 5


def test_a_small_group_is_not_shown_and_its_figures_are_not_judged(manager_client):
    station, client = manager_client
    for _ in range(5):
        incident(station)
    for _ in range(2):
        incident(station, channel="bsl_video", seconds=900)

    page = client.get(CHANNELS).content.decode()

    video_row = page[page.index('<th scope="row" class="nhsuk-table__header">999 BSL video') :].split(
        "</tr>"
    )[0]
    assert "Fewer than 5" in video_row and "Too few to judge" in video_row
    assert f"channel={Channel.BSL_VIDEO}" not in video_row


def test_interpreters_by_language_with_the_time_to_join_and_those_never_found(manager_client):
    station, client = manager_client
    for _ in range(5):
        incident(station, language="Polish", joined_after=120)
    for _ in range(5):
        incident(station, language="Urdu", joined_after=None)

    page = client.get(CHANNELS).content.decode()

    polish = page[page.index('<th scope="row" class="nhsuk-table__header">Polish') :].split("</tr>")[0]
    urdu = page[page.index('<th scope="row" class="nhsuk-table__header">Urdu') :].split("</tr>")[0]
    assert "2 minutes" in polish
    assert "Too few to judge" in urdu and ">5<" in urdu.replace(" ", "")


def test_the_incidents_page_needs_one_channel_or_one_language(manager_client):
    _, client = manager_client

    assert client.get(LISTED, {"month": "2026-10"}).status_code == 404
    assert client.get(LISTED, {"month": "2026-10", "channel": "fax"}).status_code == 404
    assert client.get(LISTED, {"month": "2026-10", "channel": "text", "language": "Urdu"}).status_code == 404


def test_staff_may_not_see_the_channels():
    client = Client()
    client.force_login(make_user(Role.STAFF))

    assert client.get(CHANNELS).status_code == 403
