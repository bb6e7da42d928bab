"""Importing in the browser, axe on every page: the operations manager finds the CAD incidents feed on the
imports page, reads its layout, uploads the dispatch system's export, and sees it imported with its counts.

The job's page refreshes itself while the import waits; the journey stops that refresh before the worker
runs, then asks for the page itself, so that nothing it checks can be replaced under it by a refresh."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from candour.operations.models import CadIncident, Hospital
from candour.people.roles import Role
from tests.operations.test_cad_incidents_import import COLUMNS, row
from tests.support.factories import StationFactory


@pytest.fixture
def manager(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The hospital the rows convey to: reference data the CAD feed checks each destination against.
    Hospital.objects.create(code="NMG", name="Northmoor General", acute_trust="Northmoor Hospitals")
    station = StationFactory(code="S-NORTH", name="Ashby Ambulance Station")
    return make_user(Role.OPERATIONS_MANAGER, station.parent.parent)


def test_given_the_operations_manager_when_they_upload_cad_incidents_then_they_see_them_imported(
    journey, manager, tmp_path
):
    page = journey.page
    export = tmp_path / "cad-incidents-march.csv"
    export.write_text("\n".join([COLUMNS, row("INC-1"), row("INC-2", category="C3")]) + "\n")

    # given_the_operations_manager_opens_the_imports_page_from_the_header
    journey.sign_in(manager.email)
    journey.open_section("Imports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")

    # and_reads_what_a_cad_incidents_file_must_look_like
    page.get_by_text("What a CAD incidents file must look like", exact=True).click()
    expect(page.get_by_role("cell", name="chief_complaint_identified", exact=True)).to_be_visible()
    journey.check()

    # when_they_upload_the_dispatch_systems_export
    journey.click_link("Import CAD incidents")
    page.get_by_label("CAD incidents file", exact=True).set_input_files(export)
    journey.press_button("Upload and import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting to start")
    journey.visit(urlsplit(page.url).path + "?refresh=off")
    expect(page.get_by_role("link", name="Update this page")).to_be_visible()

    # then_the_worker_imports_it_and_the_page_shows_the_incidents_imported
    call_command("db_worker", batch=True, verbosity=0, startup_delay=False)
    journey.click_link("Update this page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.get_by_text("cad-incidents-march.csv: 2 rows read")).to_be_visible()
    new_records = page.locator(".nhsuk-summary-list__row", has_text="New records")
    expect(new_records).to_contain_text("2")
    assert set(CadIncident.objects.values_list("incident_id", flat=True)) == {"INC-1", "INC-2"}

    # and_their_recent_imports_list_it
    journey.open_section("Imports")
    expect(page.get_by_role("row", name="cad-incidents-march.csv")).to_contain_text("Imported")
