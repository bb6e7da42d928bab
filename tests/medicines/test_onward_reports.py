"""Onward reports: an unexplained loss or suspected diversion is reported outside the trust by the CD
accountable officer, with the outcome recorded, and cannot be resolved until it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.medicines import services
from candour.medicines.models import Discrepancy, OnwardReport
from tests.medicines.conftest import TODAY, receive


@pytest.fixture
def loss(station) -> Discrepancy:
    """Two ampoules of morphine missing from the safe, found unexplained."""
    receive(station, 10)
    check = services.record_stock_check(
        by=station.paramedic, premises=station.safe, counted={station.safe_morphine: 8}
    )
    discrepancy = check.counts.get().discrepancy
    return services.work_discrepancy(
        by=station.officer, discrepancy=discrepancy, category="unexplained_loss", notes="Not found"
    )


def report(station, discrepancy, **changes) -> OnwardReport:
    values = {"body": "police", "reported_on": TODAY, "reference": "NP/2026/4411", "outcome": ""}
    return services.record_onward_report(by=station.officer, discrepancy=discrepancy, **values | changes)


def resolve(station, discrepancy, category="unexplained_loss"):
    return services.work_discrepancy(
        by=station.officer,
        discrepancy=discrepancy,
        category=category,
        notes="Searched the station",
        resolve=True,
        outcome="Not recovered",
    )


def test_an_unexplained_loss_cannot_be_resolved_before_it_is_reported_onward(station, loss):
    with pytest.raises(Refused) as refused:
        resolve(station, loss)
    assert refused.value.field == "resolve" and "must be reported onward" in refused.value.message
    loss.refresh_from_db()
    assert loss.status == Discrepancy.Status.OPEN


def test_a_suspected_diversion_needs_it_too_but_a_breakage_does_not(station, loss):
    with pytest.raises(Refused):
        resolve(station, loss, category="suspected_diversion")
    assert resolve(station, loss, category="breakage").status == Discrepancy.Status.RESOLVED


def test_a_report_without_its_outcome_still_stops_the_resolution(station, loss):
    sent = report(station, loss)
    with pytest.raises(Refused) as refused:
        resolve(station, loss)
    assert "outcome of every onward report" in refused.value.message
    services.record_onward_outcome(by=station.officer, report=sent, outcome="Crime number given; no suspect")
    assert resolve(station, loss).status == Discrepancy.Status.RESOLVED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reported_cd_loss_onward", "recorded_cd_onward_outcome", "resolved_cd_discrepancy"} <= actions


def test_a_report_with_its_outcome_at_once_lets_it_be_resolved(station, loss):
    made = report(station, loss, body="cdlin", outcome="Shared with the network; no pattern")
    assert (made.get_body_display(), made.outcome_recorded_at is not None) == (
        "Controlled drugs local intelligence network (CDLIN)",
        True,
    )
    assert resolve(station, loss).status == Discrepancy.Status.RESOLVED


def test_only_the_accountable_officer_reports_onward(station, loss):
    for person in (station.lead, station.paramedic):
        with pytest.raises(PermissionDenied):
            services.record_onward_report(
                by=person, discrepancy=loss, body="police", reported_on=TODAY, reference="X"
            )
    assert not OnwardReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"body": "newspaper"}, "body", "Choose who it was reported to"),
        ({"reported_on": TODAY + dt.timedelta(days=1)}, "reported_on", "cannot be in the future"),
        ({"reported_on": TODAY - dt.timedelta(days=1)}, "reported_on", "before the discrepancy was found"),
        ({"reported_on": None}, "reported_on", "Enter the date it was reported"),
        ({"reference": "  "}, "reference", "Enter the reference"),
    ],
)
def test_a_bad_report_is_refused_by_name_and_nothing_written(station, loss, changes, field, says):
    with pytest.raises(Refused) as refused:
        report(station, loss, **changes)
    assert refused.value.field == field and says in refused.value.message
    assert not OnwardReport.objects.exists()


def test_a_discrepancy_not_yet_called_a_loss_is_not_reported_onward(station, loss):
    services.work_discrepancy(by=station.officer, discrepancy=loss, category="recording_error", notes="")
    with pytest.raises(Refused) as refused:
        report(station, loss)
    assert "Only an unexplained loss or a suspected diversion" in refused.value.message


def test_an_outcome_is_recorded_once(station, loss):
    sent = report(station, loss, outcome="No further action")
    with pytest.raises(Refused):
        services.record_onward_outcome(by=station.officer, report=sent, outcome="Changed my mind")
    sent.refresh_from_db()
    assert sent.outcome == "No further action"


# Through the pages


def _discrepancy_page(discrepancy) -> str:
    return reverse("medicines:show_discrepancy", kwargs={"discrepancy_id": discrepancy.public_id})


def test_the_officer_reports_through_the_form_and_the_discrepancy_page_shows_it(station, loss, client_for):
    client = client_for(station.officer)
    page = client.get(_discrepancy_page(loss)).content.decode()
    url = reverse("medicines:record_onward_report", kwargs={"discrepancy_id": loss.public_id})
    assert f'href="{url}"' in page and "Not reported onward yet" in page
    data = {
        "body": "nhse_cdao",
        "reported_on_day": "18",
        "reported_on_month": "11",
        "reported_on_year": "2026",
        "reference": "CDAO-77",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == _discrepancy_page(loss)
    made = OnwardReport.objects.get()
    page = client.get(_discrepancy_page(loss)).content.decode()
    assert "NHS England controlled drugs accountable officer" in page and "CDAO-77" in page
    outcome = reverse("medicines:record_onward_outcome", kwargs={"onward_report_id": made.public_id})
    assert f'href="{outcome}"' in page
    response = client.post(outcome, {"outcome": "Reviewed; no further action"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.outcome == "Reviewed; no further action"


def test_a_form_without_a_reference_says_so_and_writes_nothing(station, loss, client_for):
    url = reverse("medicines:record_onward_report", kwargs={"discrepancy_id": loss.public_id})
    data = {"body": "police", "reported_on_day": "18", "reported_on_month": "11", "reported_on_year": "2026"}
    page = client_for(station.officer).post(url, data).content.decode()
    assert "Enter the reference the body gave the report" in page
    assert not OnwardReport.objects.exists()


def test_the_medicines_lead_may_not_open_the_report_form(station, loss, client_for):
    url = reverse("medicines:record_onward_report", kwargs={"discrepancy_id": loss.public_id})
    assert client_for(station.lead).get(url).status_code == 403
    assert (
        "Record an onward report"
        not in client_for(station.lead).get(_discrepancy_page(loss)).content.decode()
    )


def test_the_resolve_refusal_shows_on_the_discrepancy_form(station, loss, client_for):
    data = {"category": "unexplained_loss", "notes": "", "resolve": "on", "outcome": "Not found"}
    page = client_for(station.officer).post(_discrepancy_page(loss), data).content.decode()
    assert "must be reported onward before it is resolved" in page
