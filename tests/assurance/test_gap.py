"""The candour gap: a self-assessment at least a whole point above its statement's evidence score is flagged,
month by month from measure snapshots, published as a trust-level measure and put in front of the quality
lead and the executives."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.assurance.measures.gap import candour_gap_flags
from candour.assurance.models import MeasureBinding, MeasureSnapshot, QualityStatement, SelfAssessment
from candour.assurance.queries.gap import GAP_MEASURE, candour_gap, flag_trend
from candour.core.attention import items_for
from candour.core.measures import Direction, Period, get
from candour.core.months import last_complete_month
from candour.people.models import CoreService
from candour.people.roles import Role
from tests.support.factories import AreaFactory

ON = dt.date(2026, 6, 15)
JUDGED = dt.date(2026, 5, 1)  # on ON, evidence is judged on May, the last complete month
# Seven higher-is-better percentages, each scoring 2 from 60, 3 from 85 and 4 from 95.
KEYS = [
    "learning.compliance.cstf-conflict",
    "learning.compliance.cstf-equality",
    "learning.compliance.cstf-fire",
    "learning.compliance.cstf-health-safety",
    "learning.compliance.cstf-ipc-1",
    "learning.compliance.cstf-moving-handling-2",
    "learning.compliance.cstf-resuscitation",
]
SCORES_TO_VALUES = {1: 40.0, 2: 70.0, 3: 90.0, 4: 97.0}


@pytest.fixture
def safeguarding(db):
    return QualityStatement.objects.get(code="safe-safeguarding")


@pytest.fixture
def bind(lead):
    def bind(statement, keys):
        for key in keys:
            MeasureBinding.objects.create(
                quality_statement=statement,
                measure_key=key,
                score_2_from=60,
                score_3_from=85,
                score_4_from=95,
                bound_by=lead,
            )

    return bind


@pytest.fixture
def snapshot(trust):
    def snapshot(key, month: dt.date, value, unit=None):
        MeasureSnapshot.objects.update_or_create(
            measure_key=key,
            unit=unit or trust,
            month=month.replace(day=1),
            defaults={"value": value, "computed_at": dt.datetime(2026, 6, 1, tzinfo=dt.UTC)},
        )

    return snapshot


@pytest.fixture
def evidence(snapshot):
    """Snapshots in a month so the bound measures score as given, in KEYS order."""

    def evidence(month, scores):
        for key, score in zip(KEYS, scores, strict=False):
            snapshot(key, month, SCORES_TO_VALUES[score])

    return evidence


@pytest.fixture
def assess(lead):
    def assess(statement, service, score, on):
        return SelfAssessment.objects.create(
            quality_statement=statement,
            core_service=service,
            score=score,
            narrative="Seen on visits",
            assessed_on=on,
            assessed_by=lead,
        )

    return assess


def test_flagged_at_exactly_one_point(safeguarding, euc, bind, evidence, assess):
    bind(safeguarding, KEYS[:2])
    evidence(JUDGED, [2, 2])
    assess(safeguarding, euc, 3, dt.date(2026, 5, 1))

    (row,) = candour_gap(on=ON).rows

    assert (row.self_score, str(row.evidence_score), str(row.gap), row.flagged) == (3, "2.0", "1.0", True)
    assert candour_gap(on=ON).flagged == [row]


def test_not_flagged_at_nine_tenths_of_a_point(safeguarding, euc, bind, evidence, assess):
    bind(safeguarding, KEYS)
    evidence(JUDGED, [2, 2, 2, 2, 2, 2, 3])  # 15 / 7 = 2.14, so 2.1
    assess(safeguarding, euc, 3, dt.date(2026, 5, 1))

    (row,) = candour_gap(on=ON).rows

    assert (str(row.evidence_score), str(row.gap), row.flagged) == ("2.1", "0.9", False)
    assert candour_gap(on=ON).flagged == []


def test_the_flag_is_a_setting(settings, safeguarding, euc, bind, evidence, assess):
    settings.CANDOUR_CANDOUR_GAP_FLAG_POINTS = 0.5
    bind(safeguarding, KEYS)
    evidence(JUDGED, [2, 2, 2, 2, 2, 2, 3])
    assess(safeguarding, euc, 3, dt.date(2026, 5, 1))

    assert [row.flagged for row in candour_gap(on=ON).rows] == [True]


def test_a_modest_self_assessment_is_never_flagged(safeguarding, euc, bind, evidence, assess):
    bind(safeguarding, KEYS[:1])
    evidence(JUDGED, [4])
    assess(safeguarding, euc, 1, dt.date(2026, 5, 1))

    (row,) = candour_gap(on=ON).rows

    assert (str(row.gap), row.flagged) == ("-3.0", False)


def test_a_measure_without_a_value_that_month_is_left_out(
    safeguarding, euc, bind, evidence, snapshot, assess
):
    bind(safeguarding, KEYS[:2])
    evidence(JUDGED, [3])
    snapshot(KEYS[1], JUDGED, None)  # kept, but no one to count
    assess(safeguarding, euc, 4, dt.date(2026, 5, 1))

    (row,) = candour_gap(on=ON).rows

    assert str(row.evidence_score) == "3.0"
    assert [(m.key, m.value, m.score) for m in row.measures] == [(KEYS[0], 90.0, 3), (KEYS[1], None, None)]


def test_without_evidence_nothing_is_compared(safeguarding, euc, bind, assess):
    bind(safeguarding, KEYS[:1])
    assess(safeguarding, euc, 4, dt.date(2026, 5, 1))

    report = candour_gap(on=ON)

    assert [row.gap for row in report.rows] == [None]
    assert report.compared == [] and report.flagged == []


def test_statements_without_bindings_are_not_in_the_gap(euc, assess):
    assess(QualityStatement.objects.get(code="safe-learning-culture"), euc, 4, dt.date(2026, 5, 1))

    assert candour_gap(on=ON).rows == []


def test_flagged_rows_come_most_optimistic_first_and_by_core_service(safeguarding, bind, evidence, assess):
    services = {s.slug: s for s in CoreService.objects.all()}
    bind(safeguarding, KEYS[:1])
    evidence(JUDGED, [1])
    assess(safeguarding, services["nhs-111"], 3, dt.date(2026, 5, 1))
    assess(safeguarding, services["patient-transport"], 4, dt.date(2026, 5, 1))
    assess(safeguarding, services["emergency-urgent-care"], 1, dt.date(2026, 5, 1))

    report = candour_gap(on=ON)

    assert [(row.service_label, str(row.gap)) for row in report.flagged] == [
        ("Patient transport", "3.0"),
        ("NHS 111", "2.0"),
    ]
    assert [group.label for group in report.by_service] == ["NHS 111", "Patient transport"]


def test_the_trusts_own_well_led_assessment_is_compared(bind, evidence, assess):
    speak_up = QualityStatement.objects.get(code="well-led-freedom-to-speak-up")
    bind(speak_up, KEYS[:1])
    evidence(JUDGED, [2])
    assess(speak_up, None, 4, dt.date(2026, 5, 1))

    (row,) = candour_gap(on=ON).flagged

    assert (row.core_service, row.service_label, row.service_slug) == (None, "Trust", "trust")


def test_the_trend_counts_flags_per_month_from_that_months_snapshots(
    safeguarding, euc, bind, evidence, assess
):
    bind(safeguarding, KEYS[:1])
    evidence(dt.date(2026, 3, 1), [2])
    evidence(dt.date(2026, 4, 1), [2])
    evidence(dt.date(2026, 5, 1), [3])
    evidence(dt.date(2026, 6, 1), [2])
    assess(safeguarding, euc, 3, dt.date(2026, 3, 20))
    assess(safeguarding, euc, 2, dt.date(2026, 4, 10))  # honest for April...
    assess(safeguarding, euc, 4, dt.date(2026, 5, 31))  # ...optimistic from the end of May

    series = flag_trend(on=ON, months=4)

    assert series.measure.key == GAP_MEASURE
    # Complete months only: June, under way on the 15th, is not charted.
    assert [(p.period.start.month, p.value, p.denominator) for p in series.points] == [
        (2, None, 0),  # nothing assessed, no evidence
        (3, 1, 1),  # 3 against 2
        (4, 0, 1),  # 2 against 2
        (5, 1, 1),  # 4 (assessed on the 31st, in force at the month's end) against 3
    ]


def test_the_gap_measure_is_registered_for_the_catalogue_and_lower_is_better():
    measure = get(GAP_MEASURE)

    assert (measure.unit, measure.direction) == ("statements", Direction.LOWER_IS_BETTER)


def test_the_gap_measure_counts_for_the_trust_only(trust, safeguarding, euc, bind, evidence, assess):
    bind(safeguarding, KEYS[:1])
    evidence(ON, [2])  # a month's measure is judged on that month's own evidence
    assess(safeguarding, euc, 4, dt.date(2026, 5, 1))
    june = Period.month(2026, 6)

    value = candour_gap_flags(trust, june)

    assert (value.value, value.numerator, value.denominator) == (1, 1, 1)
    assert candour_gap_flags(AreaFactory(parent=trust), june).value is None


def test_the_gap_measure_computes_a_bound_measure_not_kept_yet(trust, lead, safeguarding, euc, assess):
    # Snapshots are written all together, so the first time a month is kept nothing it reads is there yet.
    MeasureBinding.objects.create(
        quality_statement=safeguarding,
        measure_key="learning.safeguarding_children_l3_compliance",
        score_2_from=60,
        score_3_from=85,
        score_4_from=95,
        bound_by=lead,
    )
    assess(safeguarding, euc, 4, dt.date(2026, 5, 1))

    value = candour_gap_flags(trust, Period.month(2026, 6))

    # No one at the trust needs level 3, so the measure has no value: nothing to compare.
    assert (value.value, value.denominator) == (None, 0)


def test_the_gap_page_lists_the_flagged_statement_with_its_measures(
    client_for, lead, safeguarding, euc, bind, evidence, assess
):
    bind(safeguarding, KEYS[:1])
    judged = last_complete_month(dt.date.today())
    evidence(judged.start, [2])
    # Assessed within the judged month, so that month's gap has a value to chart.
    assess(safeguarding, euc, 4, judged.start)

    page = client_for(lead).get(reverse("assurance:show_gap")).content.decode()

    assert "Flagged statements in Emergency and urgent care, most optimistic first" in page
    assert "2.0 more optimistic" in page
    assert "Training compliance: Conflict resolution" in page
    assert "Quality statements assessed more optimistically than the evidence by month" in page


def test_the_statement_page_shows_the_gap(client_for, lead, safeguarding, euc, bind, evidence, assess):
    bind(safeguarding, KEYS[:1])
    evidence(last_complete_month(dt.date.today()).start, [2])
    assess(safeguarding, euc, 3, dt.date.today())
    url = reverse(
        "assurance:show_statement",
        kwargs={"statement_code": "safe-safeguarding", "service_slug": "emergency-urgent-care"},
    )

    page = client_for(lead).get(url).content.decode()

    assert "Assessed more optimistically than the evidence" in page
    assert "1.0 more optimistic" in page


def test_the_quality_lead_and_executives_are_told_of_the_gap(
    make_user, trust, lead, safeguarding, euc, bind, evidence, assess
):
    bind(safeguarding, KEYS[:1])
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        evidence(JUDGED, [2])
        assess(safeguarding, euc, 4, dt.date(2026, 5, 1))
        assess(safeguarding, CoreService.objects.get(slug="nhs-111"), 3, dt.date(2026, 5, 1))

        for user in [lead, make_user(Role.EXECUTIVE, trust)]:
            (item,) = [item for item in items_for(user) if item.title == "Candour gap"]
            assert (
                item.description
                == "2 quality statements are assessed more optimistically than the evidence in May 2026."
            )
            assert item.count == 2
        staff = make_user(Role.STAFF, trust)
        assert not [item for item in items_for(staff) if item.title == "Candour gap"]


def test_the_gap_cards_count_is_the_rows_its_page_marks_as_counted(
    client_for, make_user, trust, safeguarding, euc, bind, evidence, assess
):
    bind(safeguarding, KEYS[:1])
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        evidence(JUDGED, [2])
        assess(safeguarding, euc, 4, dt.date(2026, 5, 1))
        assess(safeguarding, CoreService.objects.get(slug="nhs-111"), 3, dt.date(2026, 5, 1))
        assess(safeguarding, CoreService.objects.get(slug="patient-transport"), 2, dt.date(2026, 5, 1))
        executive = make_user(Role.EXECUTIVE, trust)
        (item,) = [item for item in items_for(executive) if item.title == "Candour gap"]
        page = client_for(executive).get(item.url).content.decode()

    assert item.count == 2
    assert page.count("data-counted-row") == 2
