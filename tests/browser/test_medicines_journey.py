"""Controlled drugs journeys in the browser, with axe on every page: the CD accountable officer finds
expired morphine still held and follows it to its register, then reports a loss found at a stock check
onward, records what came of it, and only then resolves the discrepancy."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candour.medicines import services
from candour.medicines.models import ControlledDrug, Discrepancy, Premises
from candour.medicines.reference import ensure_controlled_drugs
from candour.people.roles import Role
from tests.support.factories import StationFactory


@pytest.fixture
def ashby(make_user):
    """Ashby safe holding morphine from two batches, one expired; a count found two missing."""
    ensure_controlled_drugs(ControlledDrug)
    station = StationFactory(name="Ashby")
    trust = station.parent.parent
    lead = make_user(Role.MEDICINES_LEAD, trust)
    officer = make_user(Role.CD_ACCOUNTABLE_OFFICER, trust)
    safe = services.create_premises(by=lead, unit=station, kind=Premises.Kind.SAFE, name="Ashby safe")
    morphine = ControlledDrug.objects.get(name="Morphine sulfate", form="ampoule")
    part = services.open_part(by=lead, premises=safe, drug=morphine)
    today = timezone.localdate()
    for batch, expires_on in (
        ("OLD1", today - dt.timedelta(days=5)),
        ("NEW2", today + dt.timedelta(days=400)),
    ):
        services.record_entry(
            by=lead,
            premises=safe,
            drug=morphine,
            movement=services.Movement(
                kind="received",
                quantity=5,
                occurred_on=today,
                party_name="Northmoor pharmacy",
                party_address="1 Infirmary Road",
                batch=batch,
                expires_on=expires_on,
            ),
        )
    check = services.record_stock_check(by=lead, premises=safe, counted={part: 8})
    discrepancy = services.work_discrepancy(
        by=officer, discrepancy=check.counts.get().discrepancy, category="unexplained_loss", notes=""
    )
    return {"officer": officer, "discrepancy": discrepancy}


def test_given_expired_stock_when_the_officer_looks_then_it_leads_to_its_register(journey, ashby):
    journey.sign_in(ashby["officer"].email)
    journey.visit("/medicines/")
    journey.click_link("Stock expiring or expired")
    expect(journey.page.get_by_text("OLD1")).to_be_visible()
    journey.click_link("Morphine sulfate 10 mg in 1 ml ampoule for injection register at Ashby safe")
    expect(journey.page.get_by_role("heading", name="Morphine sulfate", level=1)).to_be_visible()


def test_given_an_unexplained_loss_when_it_is_reported_onward_then_it_can_be_resolved(journey, ashby):
    page = journey.page
    discrepancy = ashby["discrepancy"]
    journey.sign_in(ashby["officer"].email)
    journey.visit(f"/medicines/discrepancies/{discrepancy.public_id}/")

    # when_they_try_to_resolve_it_first_they_are_told_to_report_it
    page.get_by_label("The investigation is finished: resolve the discrepancy").check()
    journey.fill("Outcome", "Not found")
    journey.press_button("Save")
    expect(page.get_by_role("link", name="must be reported onward", exact=False).first).to_be_visible()

    # and_they_record_the_report_to_the_police
    journey.click_link("Record an onward report")
    journey.press_button("Record the report")
    expect(page.get_by_role("link", name="Choose who it was reported to")).to_be_visible()
    page.get_by_label("Police", exact=True).check()
    today = timezone.localdate()
    page.locator("input[name=reported_on_day]").fill(str(today.day))
    page.locator("input[name=reported_on_month]").fill(str(today.month))
    page.locator("input[name=reported_on_year]").fill(str(today.year))
    journey.fill("Their reference", "NP/2026/4411")
    journey.press_button("Record the report")

    # then_they_record_its_outcome_and_resolve_the_discrepancy
    journey.click_link("Record the outcome of the report to Police")
    journey.fill("What came of the report", "Crime number given; no suspect identified")
    journey.press_button("Record the outcome")
    page.get_by_label("The investigation is finished: resolve the discrepancy").check()
    journey.fill("Outcome", "Not recovered; reported to the police")
    journey.press_button("Save")
    expect(page.get_by_text("The discrepancy is resolved.")).to_be_visible()
    discrepancy.refresh_from_db()
    assert discrepancy.status == Discrepancy.Status.RESOLVED
