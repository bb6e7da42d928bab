"""Northmoor's CQC framework in the demo: every statement self-assessed, deliberately optimistic on
safeguarding, the evidence saying otherwise, the last inspection, an open breach and an Ofsted visit."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.assurance.models import (
    InspectionRating,
    MeasureBinding,
    MeasureSnapshot,
    MonitoringVisit,
    RegulatoryBreach,
    SelfAssessment,
)
from candour.assurance.queries.framework import ratings_grid
from candour.assurance.queries.gap import GAP_MEASURE, candour_gap
from candour.assurance.queries.ofsted import theme_readiness
from candour.core.demo import build_demo
from candour.people.models import CoreService, OrgUnit, User

TODAY = dt.date(2026, 11, 22)
# seed_demo keeps 24 months; three are enough to see the gap kept month by month, and keep this test quick.
SNAPSHOT_MONTHS = 3


@pytest.fixture
def demo(db):
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        build_demo(seed=2026, scale="demo", today=TODAY, snapshot_months=SNAPSHOT_MONTHS)
        yield


# One build of the demo serves every check.
def test_the_demo_framework(demo, client_for):
    _everything_is_self_assessed_and_the_safeguarding_gap_shows()
    _the_quality_lead_sees_it_on_the_gap_page(client_for)
    _the_gap_is_kept_as_a_trust_measure_month_by_month()
    _the_last_inspection_an_open_breach_and_an_ofsted_visit_are_there()


def _everything_is_self_assessed_and_the_safeguarding_gap_shows():
    services = CoreService.objects.count()
    in_force = SelfAssessment.objects.in_force_on(TODAY)
    assert in_force.count() == 34 * services + 8  # every statement per service, and the trust's well-led
    assert SelfAssessment.objects.count() > in_force.count()  # reassessed over the 24 months
    assert MeasureBinding.objects.values("quality_statement").distinct().count() >= 10

    report = candour_gap(on=TODAY)
    safeguarding = [row for row in report.flagged if row.statement.code == "safe-safeguarding"]

    assert {row.service_label for row in safeguarding} == set(
        CoreService.objects.values_list("name", flat=True)
    )
    for row in safeguarding:
        assert row.self_score >= 3
        assert row.evidence_score <= 2
    training = next(
        m for m in safeguarding[0].measures if m.key == "learning.safeguarding_children_l3_compliance"
    )
    assert 60 <= training.value < 80  # about 70% of paramedics
    assert training.score == 2


def _the_quality_lead_sees_it_on_the_gap_page(client_for):
    client = client_for(User.objects.get(email="quality.lead@northmoor.example"))

    page = client.get(reverse("assurance:show_gap")).content.decode()

    assert "Flagged statements in Emergency and urgent care" in page
    assert "Safeguarding children training compliance at level 3" in page
    assert client.get(reverse("assurance:show_framework")).status_code == 200


def _the_gap_is_kept_as_a_trust_measure_month_by_month():
    trust = OrgUnit.objects.trust()
    kept = MeasureSnapshot.objects.filter(measure_key=GAP_MEASURE, unit=trust, value__isnull=False)

    assert kept.count() == SNAPSHOT_MONTHS
    assert all(snapshot.value >= 1 for snapshot in kept)


def _the_last_inspection_an_open_breach_and_an_ofsted_visit_are_there():
    grid = ratings_grid(on=TODAY)
    euc = CoreService.objects.get(slug="emergency-urgent-care")

    assert grid.trust.overall.inspected.rating == "requires_improvement"
    assert grid.cell(None, "safe").inspected.rating == "requires_improvement"
    assert InspectionRating.objects.values("published_on").distinct().count() == 2
    (breach,) = RegulatoryBreach.objects.filter(resolved_on__isnull=True)
    assert breach.regulation.startswith("Regulation 13") and breach.core_service == euc
    assert grid.cell(euc, "safe").self_assessed.rating in ("requires_improvement", "inadequate")
    assert grid.overrides  # the board's well-led override, with its reason

    readiness = theme_readiness(
        MonitoringVisit.objects.get().judgements.get(theme__code="safeguarding").theme, on=TODAY
    )
    assert readiness.visit_judgement.progress == "insufficient"
    assert readiness.self_judgement is not None
    assert readiness.series
