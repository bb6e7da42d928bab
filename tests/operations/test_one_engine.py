"""The app and the analyst's command measure with the same engine: the same incidents, imported through
the CAD feed and read by `manage.py arp`, give the overview the figures of the command's `All` rows."""

import csv
import datetime as dt
import io
import random

import pytest
from django.core.management import call_command

from candour.operations.access import VIEW_RESPONSE_TIMES
from candour.operations.arp.categories import Category
from candour.operations.importers import import_cad_incidents
from candour.operations.queries.response_times import overview_for
from candour.people.access import scope_of
from candour.people.roles import Role
from tests.operations.test_arp_command import HEADER as ARP_HEADER
from tests.operations.test_cad_incidents_import import COLUMNS as FEED_COLUMNS
from tests.operations.test_cad_incidents_import import row as feed_row
from tests.support.factories import StationFactory, make_user

pytestmark = pytest.mark.django_db


def _incidents(count, seed=12):
    """Incidents over September and October 2026 with every kind of clock: (feed cells, command cells)."""
    chance = random.Random(seed)
    incidents = []
    for number in range(count):
        connected = dt.datetime(2026, 9, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=chance.randrange(60 * 24 * 60)
        )
        category = chance.choice(["C1", "C2", "C3", "C4"])
        assigned = connected + dt.timedelta(seconds=chance.randrange(10, 600))
        on_scene = assigned + dt.timedelta(seconds=chance.randrange(60, 7200))
        conveyed = chance.random() < 0.6
        transport = on_scene + dt.timedelta(seconds=chance.randrange(0, 1800)) if conveyed else None
        retriaged_to = chance.choice(["", "", "", "C1", "C4"])
        retriaged_at = assigned + dt.timedelta(seconds=5) if retriaged_to else None
        if chance.random() < 0.05:
            on_scene = transport = None
            conveyed = False
        times = {
            "call_connected": connected,
            "first_assigned": assigned,
            "first_on_scene": on_scene,
            "first_transport_on_scene": transport,
            "retriaged_at": retriaged_at,
        }
        text = {name: value.isoformat() if value else "" for name, value in times.items()}
        common = {"category": category, "retriaged_to": retriaged_to, **text}
        feed = {
            **common,
            "conveyed": "Y" if conveyed else "N",
            "chief_complaint_identified": "",
            "destination_hospital": "",
            "arrived_at_hospital": "",
            "handover_complete": "",
            "crew_clear": "",
        }
        arp = {
            **common,
            "incident_id": f"INC-{number}",
            "area": "North",
            "conveyed": "y" if conveyed else "n",
        }
        incidents.append((feed, arp))
    return incidents


def test_the_overview_shows_what_the_command_computes_for_the_same_incidents(tmp_path):
    station = StationFactory(code="S-NORTH")
    incidents = _incidents(300)
    feed = "\n".join(
        [FEED_COLUMNS, *(feed_row(f"INC-{n}", **cells) for n, (cells, _) in enumerate(incidents))]
    )
    upload = io.BytesIO((feed + "\n").encode())
    result = import_cad_incidents(by=None, file=upload)
    assert result.ok, [str(error) for error in result.errors[:5]]
    arp_file = tmp_path / "incidents.csv"
    columns = ARP_HEADER.split(",")
    arp_file.write_text(
        "\n".join(
            [ARP_HEADER, *(",".join(cells.get(name, "") for name in columns) for _, cells in incidents)]
        )
        + "\n"
    )
    stdout = io.StringIO()
    call_command("arp", str(arp_file), stdout=stdout, stderr=io.StringIO())
    theirs = {
        (row["Month"], row["Category"]): tuple(int(row[name]) for name in list(row)[3:])
        for row in csv.DictReader(io.StringIO(stdout.getvalue()))
        if row["Area"] == "All"
    }

    manager = make_user(Role.OPERATIONS_MANAGER, station.parent)
    overview = overview_for(scope_of(manager, VIEW_RESPONSE_TIMES), today=dt.date(2026, 11, 18))
    ours = {
        (f"{month.month.start:%Y-%m}", str(table.category)): (
            month.figures.incidents,
            month.figures.total_seconds,
            month.figures.mean_seconds,
            month.figures.centile90_seconds,
        )
        for table in overview.tables
        for month in table.months
        if month.figures
    }

    assert {key[1] for key in theirs} == {str(category) for category in Category}
    assert ours == theirs
