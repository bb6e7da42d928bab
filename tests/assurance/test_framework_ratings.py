"""The ratings grid as the trust sees it: level 1 core service x key question from statement scores, level 2
the core service, level 3 the trust (its well-led from its own assessment), with breaches, overrides,
evidence and the ratings CQC published (STANDARDS.md §2)."""

import datetime as dt

import pytest

from candour.assurance.models import (
    InspectionRating,
    MeasureBinding,
    MeasureSnapshot,
    QualityStatement,
    Rating,
    RatingOverride,
    RegulatoryBreach,
    SelfAssessment,
)
from candour.assurance.queries.framework import key_question_evidence, rating_history, ratings_grid
from candour.people.models import CoreService

ON = dt.date(2026, 6, 15)
JUDGED = dt.date(2026, 5, 1)  # on ON, evidence is judged on May, the last complete month
OUT, G, RI, INAD = Rating.OUTSTANDING, Rating.GOOD, Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE
SCORE_FOR = {OUT: 4, G: 3, RI: 2, INAD: 1}  # every statement at this score gives this rating


@pytest.fixture
def services(db):
    return {service.slug: service for service in CoreService.objects.all()}


@pytest.fixture
def assess(lead):
    def assess(service, key_question, score, *, on=ON - dt.timedelta(days=30), statements=None):
        for statement in QualityStatement.objects.filter(key_question=key_question)[:statements]:
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
def rate_service(assess):
    """Score every key question of a service so that it gets the ratings given, in key-question order."""

    def rate(service, *ratings):
        for key_question, rating in zip(
            ["safe", "effective", "caring", "responsive", "well_led"], ratings, strict=False
        ):
            if rating:
                assess(service, key_question, SCORE_FOR[rating])

    return rate


def test_a_key_question_is_rated_from_its_statement_scores(services, assess):
    euc = services["emergency-urgent-care"]
    assess(euc, "safe", 3, statements=6)
    assess(euc, "safe", 2, statements=2)  # the first two again, later the same day: the newer is in force

    cell = ratings_grid(on=ON).cell(euc, "safe")

    assert cell.statements_scored == 6
    assert cell.statements_total == 8
    assert cell.self_percentage == 67  # (4 x 3 + 2 x 2) / (4 x 6)
    assert cell.self_assessed.rating == G


def test_the_newest_assessment_on_or_before_the_day_is_in_force(services, assess):
    euc = services["emergency-urgent-care"]
    assess(euc, "safe", 3, on=ON - dt.timedelta(days=60))
    assess(euc, "safe", 1, on=ON - dt.timedelta(days=10))
    assess(euc, "safe", 4, on=ON + dt.timedelta(days=10))

    assert ratings_grid(on=ON).cell(euc, "safe").self_assessed.rating == INAD
    assert ratings_grid(on=ON - dt.timedelta(days=30)).cell(euc, "safe").self_assessed.rating == G


def test_a_core_service_is_rated_by_the_principles(services, rate_service):
    rate_service(services["emergency-urgent-care"], OUT, OUT, G, G, G)
    rate_service(services["nhs-111"], G, G, RI, RI, G)
    rate_service(services["patient-transport"], G, G, G, G, INAD)

    grid = ratings_grid(on=ON)

    assert grid.cell(services["emergency-urgent-care"], "").self_assessed.rating == OUT
    assert grid.cell(services["nhs-111"], "").self_assessed.rating == RI
    assert grid.cell(services["patient-transport"], "").self_assessed.rating == RI


def test_unscored_cells_are_not_rated_and_left_out(services, rate_service):
    rate_service(services["emergency-urgent-care"], OUT, OUT, None, None, None)

    grid = ratings_grid(on=ON)

    assert grid.cell(services["emergency-urgent-care"], "caring").self_assessed.rating is None
    assert grid.cell(services["emergency-urgent-care"], "").self_assessed.rating == OUT
    assert grid.cell(services["nhs-111"], "").self_assessed.rating is None
    assert grid.cell(services["nhs-111"], "safe").self_percentage is None
    # The trust's safe is from the one service rated on it: one outstanding is good (outstanding needs two).
    assert grid.cell(None, "safe").self_assessed.rating == G
    assert grid.cell(None, "caring").self_assessed.rating is None


def test_a_trust_key_question_combines_its_core_services(services, rate_service):
    rate_service(services["emergency-urgent-care"], G)
    rate_service(services["emergency-operations-centre"], G)
    rate_service(services["nhs-111"], RI)
    rate_service(services["patient-transport"], G)

    assert ratings_grid(on=ON).cell(None, "safe").self_assessed.rating == G

    rate_service(services["patient-transport"], RI)

    assert ratings_grid(on=ON).cell(None, "safe").self_assessed.rating == RI


def test_trust_well_led_comes_from_the_trusts_own_assessment(services, rate_service, assess):
    for service in services.values():
        rate_service(service, None, None, None, None, OUT)
    assess(None, "well_led", 2)

    grid = ratings_grid(on=ON)

    assert grid.cell(services["nhs-111"], "well_led").self_assessed.rating == OUT
    assert grid.cell(None, "well_led").self_assessed.rating == RI
    assert grid.cell(None, "well_led").self_percentage == 50


def test_trust_overall_comes_from_the_trust_key_questions(services, rate_service, assess):
    for service in services.values():
        rate_service(service, OUT, OUT, G, G, G)
    assess(None, "well_led", 2)

    grid = ratings_grid(on=ON)

    assert [cell.self_assessed.rating for cell in grid.trust.cells] == [OUT, OUT, G, G, RI]
    assert grid.trust.overall.self_assessed.rating == G


def test_an_open_breach_caps_its_key_question_and_service_at_requires_improvement(
    services, rate_service, lead
):
    euc = services["emergency-urgent-care"]
    rate_service(euc, OUT, OUT, G, G, G)
    RegulatoryBreach.objects.create(
        core_service=euc,
        key_question="safe",
        regulation="Regulation 13: safeguarding",
        description="Staff not trained to level 3",
        found_on=ON - dt.timedelta(days=5),
        recorded_by=lead,
    )

    grid = ratings_grid(on=ON)
    safe, overall = grid.cell(euc, "safe"), grid.cell(euc, "")

    assert safe.self_assessed.default == RI
    assert safe.self_assessed.capped_by_breach
    assert [b.regulation for b in safe.breaches] == ["Regulation 13: safeguarding"]
    # Safe is RI, effective outstanding, the rest good: good by the principles, then capped.
    assert overall.self_assessed.rating == RI
    assert overall.self_assessed.capped_by_breach
    # Before the breach was found, nothing was capped.
    assert ratings_grid(on=ON - dt.timedelta(days=6)).cell(euc, "").self_assessed.rating == OUT


def test_a_resolved_breach_caps_nothing_after_it_is_resolved(services, rate_service, lead):
    euc = services["emergency-urgent-care"]
    rate_service(euc, G, G, G, G, G)
    RegulatoryBreach.objects.create(
        core_service=euc,
        key_question="safe",
        regulation="Regulation 13",
        description="Found",
        found_on=ON - dt.timedelta(days=20),
        resolved_on=ON - dt.timedelta(days=1),
        recorded_by=lead,
    )

    assert ratings_grid(on=ON).cell(euc, "safe").self_assessed.rating == G
    assert ratings_grid(on=ON - dt.timedelta(days=2)).cell(euc, "safe").self_assessed.rating == RI


def test_a_breach_at_trust_level_caps_the_trust_key_question_and_overall(services, rate_service, lead):
    for service in services.values():
        rate_service(service, G, G, G, G, G)
    RegulatoryBreach.objects.create(
        core_service=None,
        key_question="effective",
        regulation="Regulation 17",
        description="Governance",
        found_on=ON - dt.timedelta(days=5),
        recorded_by=lead,
    )

    grid = ratings_grid(on=ON)

    assert grid.cell(None, "effective").self_assessed.rating == RI
    assert grid.trust.overall.self_assessed.rating == RI
    assert grid.cell(services["nhs-111"], "effective").self_assessed.rating == G


def test_an_override_replaces_the_default_and_flows_up(services, rate_service, lead):
    euc = services["emergency-urgent-care"]
    rate_service(euc, G, G, G, G, G)
    RatingOverride.objects.create(
        core_service=euc,
        key_question="safe",
        rating=INAD,
        reason="Safeguarding referrals not made",
        decided_on=ON - dt.timedelta(days=3),
        decided_by=lead,
    )

    grid = ratings_grid(on=ON)
    safe = grid.cell(euc, "safe")

    assert safe.self_assessed.default == G
    assert safe.self_assessed.rating == INAD
    assert safe.self_assessed.override_reason == "Safeguarding referrals not made"
    assert grid.cell(euc, "").self_assessed.rating == RI  # exactly one inadequate
    assert [cell.label for cell in grid.overrides] == ["Safe"]


def test_the_latest_override_is_in_force_and_a_blank_one_lifts_it(services, rate_service, lead):
    euc = services["emergency-urgent-care"]
    rate_service(euc, G, G, G, G, G)
    for days_ago, rating in [(20, INAD), (10, "")]:
        RatingOverride.objects.create(
            core_service=euc,
            key_question="",
            rating=rating,
            reason="Decided at the quality committee",
            decided_on=ON - dt.timedelta(days=days_ago),
            decided_by=lead,
        )

    assert ratings_grid(on=ON - dt.timedelta(days=15)).cell(euc, "").self_assessed.rating == INAD
    overall = ratings_grid(on=ON).cell(euc, "").self_assessed
    assert overall.rating == G
    assert not overall.overridden


def test_the_latest_published_rating_is_shown_beside_ours(services, lead):
    euc = services["emergency-urgent-care"]
    for published_on, rating in [(dt.date(2023, 3, 1), G), (dt.date(2025, 3, 1), RI)]:
        InspectionRating.objects.create(
            published_on=published_on, core_service=euc, key_question="safe", rating=rating, recorded_by=lead
        )

    assert ratings_grid(on=ON).cell(euc, "safe").inspected.rating == RI
    assert ratings_grid(on=dt.date(2024, 1, 1)).cell(euc, "safe").inspected.rating == G
    assert ratings_grid(on=dt.date(2022, 1, 1)).cell(euc, "safe").inspected is None


def test_evidence_based_rating_comes_from_bound_measures_in_the_last_complete_month(trust, services, lead):
    statements = QualityStatement.objects.filter(key_question="safe")[:2]
    for statement in statements:
        MeasureBinding.objects.create(
            quality_statement=statement,
            measure_key="learning.safeguarding_children_l3_compliance",
            score_2_from=60,
            score_3_from=85,
            score_4_from=95,
            bound_by=lead,
        )
    MeasureSnapshot.objects.create(
        measure_key="learning.safeguarding_children_l3_compliance",
        unit=trust,
        month=JUDGED,
        value=70.0,
        computed_at=dt.datetime(2026, 6, 15, tzinfo=dt.UTC),
    )

    cell = ratings_grid(on=ON).cell(services["nhs-111"], "safe")

    assert cell.statements_with_evidence == 2
    assert cell.evidence_percentage == 50
    assert cell.evidence_rating == RI
    assert ratings_grid(on=dt.date(2026, 6, 1)).cell(services["nhs-111"], "safe").evidence_rating == RI
    assert ratings_grid(on=dt.date(2026, 7, 1)).cell(services["nhs-111"], "safe").evidence_rating is None


def test_the_trusts_own_assessment_is_in_force(lead):
    statement = QualityStatement.objects.get(code="well-led-freedom-to-speak-up")
    for day, score in [(dt.date(2026, 1, 1), 3), (dt.date(2026, 2, 1), 2)]:
        SelfAssessment.objects.create(
            quality_statement=statement, score=score, narrative="n", assessed_on=day, assessed_by=lead
        )

    in_force = SelfAssessment.objects.in_force_on(dt.date(2026, 3, 1))

    assert [a.score for a in in_force] == [2]


def test_rating_history_sets_ours_evidence_and_cqcs_side_by_side(services, assess, lead):
    euc = services["emergency-urgent-care"]
    assess(euc, "safe", 3, on=dt.date(2025, 1, 10))
    InspectionRating.objects.create(
        published_on=dt.date(2025, 3, 1),
        core_service=euc,
        key_question="safe",
        rating=RI,
        report_reference="AAA1234",
        recorded_by=lead,
    )
    assess(euc, "safe", 2, on=dt.date(2025, 9, 1))

    tables = {table.key_question: table for table in rating_history(euc, on=ON)}
    rows = [(r.day, r.events, r.cell.self_assessed.rating, r.cell.inspected) for r in tables["safe"].rows]

    assert [(day, events, rating) for day, events, rating, _ in rows] == [
        (dt.date(2025, 9, 1), ("Self-assessment",), RI),
        (dt.date(2025, 3, 1), ("CQC report AAA1234",), G),
        (dt.date(2025, 1, 10), ("Self-assessment",), G),
    ]
    assert [inspected.rating if inspected else None for *_, inspected in rows] == [RI, RI, None]


def test_the_evidence_pack_gathers_a_key_questions_statements_narratives_and_measures(
    trust, services, assess, lead
):
    speak_up = QualityStatement.objects.get(code="well-led-freedom-to-speak-up")
    MeasureBinding.objects.create(
        quality_statement=speak_up,
        measure_key="speakup.would_speak_up_again_share",
        score_2_from=50,
        score_3_from=75,
        score_4_from=90,
        bound_by=lead,
    )
    MeasureSnapshot.objects.create(
        measure_key="speakup.would_speak_up_again_share",
        unit=trust,
        month=JUDGED,
        value=62.5,
        computed_at=dt.datetime(2026, 6, 15, tzinfo=dt.UTC),
    )
    assess(None, "well_led", 4)
    assess(services["nhs-111"], "well_led", 3)

    pack = key_question_evidence("well_led", on=ON)

    assert pack.label == "Well-led"
    assert [cell.service.name if cell.service else "Trust" for cell in pack.ratings][-1] == "Trust"
    assert len(pack.statements) == 8
    statement = next(s for s in pack.statements if s.statement == speak_up)
    assert [(m.key, m.value, m.score) for m in statement.evidence.measures] == [
        ("speakup.would_speak_up_again_share", 62.5, 2)
    ]
    by_where = {(row.service.slug if row.service else "trust"): row for row in statement.assessments}
    assert set(by_where) == {*services, "trust"}  # every core service, and the trust for well-led
    assert (by_where["trust"].self_score, str(by_where["trust"].gap), by_where["trust"].flagged) == (
        4,
        "2.0",
        True,
    )
    assert by_where["nhs-111"].assessment.narrative == "Seen on visits"
    assert by_where["patient-transport"].assessment is None


def test_the_evidence_pack_for_another_key_question_has_no_trust_rows(services, assess):
    pack = key_question_evidence("safe", on=ON)

    assert all(row.service is not None for s in pack.statements for row in s.assessments)
    assert len(pack.ratings) == len(services) + 1
