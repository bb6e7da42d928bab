"""Evidence is judged on complete months, never the month under way, and a value from too few cases is "too
few to judge" (docs/adr/0026): on the first of a month one answer out of one must not make a key question
outstanding, nor wipe the candour gap overnight."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from candour.assurance.evidence import WindowValue, over_months
from candour.assurance.models import (
    MeasureBinding,
    MeasureSnapshot,
    QualityStatement,
    Rating,
    ReportKind,
    ReportRun,
    SelfAssessment,
)
from candour.assurance.queries.framework import ratings_grid, statement_page
from candour.assurance.queries.gap import candour_gap
from candour.assurance.reports import board, context_for
from candour.core.measures import Period

FIRST = dt.date(2026, 12, 1)  # the first of December: November is the last complete month
NOVEMBER = dt.date(2026, 11, 1)
DECEMBER = dt.date(2026, 12, 1)
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
COUNT = "assurance.actions_overdue"  # a count, lower is better: no denominator


@pytest.fixture
def safe_statements(db):
    return list(QualityStatement.objects.filter(key_question="safe").order_by("display_order"))


@pytest.fixture
def bind(lead):
    def bind(statement, key, thresholds=(60, 85, 95)):
        MeasureBinding.objects.create(
            quality_statement=statement,
            measure_key=key,
            score_2_from=thresholds[0],
            score_3_from=thresholds[1],
            score_4_from=thresholds[2],
            bound_by=lead,
        )

    return bind


@pytest.fixture
def snapshot(trust):
    def snapshot(key, month, value, cases):
        MeasureSnapshot.objects.update_or_create(
            measure_key=key,
            unit=trust,
            month=month,
            defaults={
                "value": value,
                "numerator": None if value is None or cases is None else value * cases / 100,
                "denominator": cases,
                "computed_at": timezone.now(),
            },
        )

    return snapshot


@pytest.fixture
def assess(lead):
    def assess(statement, service, score, on=dt.date(2026, 10, 1)):
        SelfAssessment.objects.create(
            quality_statement=statement,
            core_service=service,
            score=score,
            narrative="Seen on visits",
            assessed_on=on,
            assessed_by=lead,
        )

    return assess


@pytest.fixture
def seven_flags(safe_statements, euc, bind, snapshot, assess):
    """Seven safe statements, each assessed 4 against November's evidence of 70% from 200 staff (score 2):
    seven flags. On the first of December one answer out of one has come in for each: 100%."""
    for statement, key in zip(safe_statements, KEYS, strict=False):
        bind(statement, key)
        assess(statement, euc, 4)
        snapshot(key, NOVEMBER, 70.0, 200)
        snapshot(key, DECEMBER, 100.0, 1)


def test_on_the_first_of_a_month_the_gap_is_judged_on_the_month_just_ended(seven_flags):
    report = candour_gap(on=FIRST)

    assert report.evidence == Period.month(2026, 11)
    assert len(report.flagged) == 7  # not 0: December's one answer out of one is not judged


def test_the_months_partial_data_does_not_change_the_rating_or_the_gap(seven_flags, euc):
    with_today = (candour_gap(on=FIRST), ratings_grid(on=FIRST).cell(euc, "safe"))
    MeasureSnapshot.objects.filter(month=DECEMBER).delete()
    without_today = (candour_gap(on=FIRST), ratings_grid(on=FIRST).cell(euc, "safe"))

    assert [row.gap for row in with_today[0].flagged] == [row.gap for row in without_today[0].flagged]
    assert with_today[1].evidence_rating == without_today[1].evidence_rating == Rating.REQUIRES_IMPROVEMENT
    # ...and it stays so all month, until December is over and judged.
    assert (
        ratings_grid(on=dt.date(2026, 12, 31)).cell(euc, "safe").evidence_rating
        == Rating.REQUIRES_IMPROVEMENT
    )


def test_the_day_after_a_month_ends_that_month_is_judged(seven_flags, euc):
    # The last day of November judges October, which has nothing; the next day judges November.
    assert candour_gap(on=dt.date(2026, 11, 30)).flagged == []
    assert len(candour_gap(on=FIRST).flagged) == 7


def test_a_value_from_fewer_cases_than_the_minimum_is_too_few_to_judge(
    settings, safe_statements, euc, bind, snapshot, assess
):
    settings.CANDOUR_EVIDENCE_MINIMUM_CASES = 5
    statement = safe_statements[0]
    bind(statement, KEYS[0])
    assess(statement, euc, 4)
    snapshot(KEYS[0], NOVEMBER, 100.0, 4)  # four of four: outstanding, from four cases

    (row,) = candour_gap(on=FIRST).rows
    (bound,) = row.measures

    assert (bound.value, bound.cases, bound.too_few, bound.score) == (100.0, 4, True, None)
    assert row.evidence_score is None and row.gap is None and not row.flagged
    assert ratings_grid(on=FIRST).cell(euc, "safe").evidence_rating is None


def test_a_value_from_the_minimum_number_of_cases_is_judged(
    settings, safe_statements, euc, bind, snapshot, assess
):
    settings.CANDOUR_EVIDENCE_MINIMUM_CASES = 5
    statement = safe_statements[0]
    bind(statement, KEYS[0])
    assess(statement, euc, 4)
    snapshot(KEYS[0], NOVEMBER, 100.0, 5)

    ((bound,),) = [row.measures for row in candour_gap(on=FIRST).rows]

    assert (bound.too_few, bound.score) == (False, 4)


def test_one_answer_out_of_one_does_not_make_a_key_question_outstanding(
    safe_statements, euc, bind, snapshot, assess
):
    for statement, key in zip(safe_statements[:2], KEYS, strict=False):
        bind(statement, key)
        snapshot(key, NOVEMBER, 100.0, 1)

    cell = ratings_grid(on=FIRST).cell(euc, "safe")

    assert cell.evidence_rating is None and cell.statements_with_evidence == 0


def test_a_count_has_no_denominator_and_is_judged_whatever_its_size(
    settings, safe_statements, euc, bind, snapshot, assess
):
    settings.CANDOUR_EVIDENCE_MINIMUM_CASES = 5
    statement = safe_statements[0]
    bind(statement, COUNT, thresholds=(10, 5, 2))  # lower is better: two or fewer scores 4
    assess(statement, euc, 4)
    snapshot(COUNT, NOVEMBER, 1.0, None)

    ((bound,),) = [row.measures for row in candour_gap(on=FIRST).rows]

    assert (bound.cases, bound.too_few, bound.score) == (None, False, 4)


def test_the_window_of_complete_months_is_a_setting_and_weighs_months_by_their_cases(
    settings, safe_statements, euc, bind, snapshot, assess
):
    settings.CANDOUR_EVIDENCE_MONTHS = 3
    statement = safe_statements[0]
    bind(statement, KEYS[0])
    assess(statement, euc, 4)
    snapshot(KEYS[0], dt.date(2026, 9, 1), 50.0, 2)
    snapshot(KEYS[0], dt.date(2026, 10, 1), 100.0, 2)
    snapshot(KEYS[0], NOVEMBER, 80.0, 6)
    snapshot(KEYS[0], DECEMBER, 0.0, 1)  # under way: left out

    report = candour_gap(on=FIRST)
    ((bound,),) = [row.measures for row in report.rows]

    assert report.evidence == Period(dt.date(2026, 9, 1), dt.date(2026, 12, 1))
    assert (bound.value, bound.cases, bound.score) == (pytest.approx(78.0), 10, 2)  # (1 + 2 + 4.8) / 10


def test_values_over_months_are_weighed_by_cases_and_counts_are_averaged():
    assert over_months([(50.0, 2), (100.0, 2)]) == WindowValue(75.0, 4)
    assert over_months([(None, None), (80.0, 6)]) == WindowValue(80.0, 6)
    assert over_months([(3.0, None), (5.0, None)]) == WindowValue(4.0, None)
    assert over_months([(None, None)]) == WindowValue(None)
    assert WindowValue(100.0, 4).too_few(5) and not WindowValue(100.0, 5).too_few(5)
    assert not WindowValue(1.0, None).too_few(5) and not WindowValue(None, 0).too_few(5)


def test_the_statement_pages_months_are_complete_months(seven_flags, safe_statements, euc):
    page = statement_page(safe_statements[0], euc, on=dt.date(2026, 12, 15))

    assert page.trend[0].period == Period.month(2026, 11)  # newest first, and December is not judged yet
    assert str(page.trend[0].evidence_score) == "2.0"
    assert page.row.evidence.period == Period.month(2026, 11)


@pytest.mark.parametrize(
    "url",
    [
        reverse("assurance:show_framework"),
        reverse("assurance:show_gap"),
        reverse(
            "assurance:show_key_question",
            kwargs={"service_slug": "emergency-urgent-care", "key_question": "safe"},
        ),
        reverse(
            "assurance:show_statement",
            kwargs={"statement_code": "safe-safeguarding", "service_slug": "emergency-urgent-care"},
        ),
    ],
)
def test_every_page_that_judges_says_which_months_it_judges_on(client_for, lead, url):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        page = client_for(lead).get(url).content.decode()

    assert "udged on November 2026" in " ".join(page.split())


def test_a_page_shows_a_value_from_too_few_cases_with_its_count(
    client_for, lead, safe_statements, euc, bind, snapshot, assess
):
    statement = QualityStatement.objects.get(code="safe-safeguarding")
    bind(statement, KEYS[0])
    assess(statement, euc, 4)
    snapshot(KEYS[0], NOVEMBER, 100.0, 1)
    url = reverse(
        "assurance:show_statement",
        kwargs={"statement_code": "safe-safeguarding", "service_slug": "emergency-urgent-care"},
    )

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        page = " ".join(client_for(lead).get(url).content.decode().split())

    assert "Too few to judge (1 case, fewer than 5)" in page
    assert "No evidence" in page  # the statement has no evidence score, rather than 4


def test_the_board_report_judges_one_span_worked_out_once(settings, trust, lead, seven_flags):
    run = ReportRun.objects.create(kind=ReportKind.BOARD, unit=trust, requested_by=lead)
    run.created_at = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    context = context_for(run)
    settings.CANDOUR_EVIDENCE_MONTHS = 3  # changed while the report is made: its span stays put

    gap = board.gap(context, {})
    ratings = board.ratings(context, {})

    assert context.evidence == gap.report.evidence == ratings.evidence == Period.month(2026, 11)
    assert context.until == dt.date(2026, 11, 30)
    assert len(gap.report.flagged) == 7
