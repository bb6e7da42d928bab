"""Assurance demo: the CQC framework and Ofsted monitoring at Northmoor.

Managers have self-assessed all 34 quality statements for each core service, and the trust its own
well-led, over the last 24 months: a first assessment and a few reassessments. A dozen statements have
registered measures bound to them. Where a measure evidences a statement, managers mostly score close to
what it says; on safeguarding they do not: every core service scores itself 3 or 4 while the evidence
(safeguarding children level 3 training, around 70% of paramedics; whether people would speak up again;
apprentices and staff saying they feel safe) says 2. That is the candour gap the pages are built to show.

CQC last published ratings about 20 months ago (the trust, safe and well-led requiring improvement) and
before that about 44 months ago; a Regulation 13 breach in emergency and urgent care is still open. Ofsted's
monitoring visit about 10 months ago judged safeguarding insufficient progress; the trust's own judgements
since are recorded, with measures bound to each theme.

Deterministic: `context.rng_for("assurance.framework")`. Written in bulk in the shape the services write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from candour.assurance.evidence import Thresholds, evidence_score
from candour.assurance.models import (
    EvidenceLink,
    InspectionRating,
    KeyQuestion,
    MeasureBinding,
    MonitoringTheme,
    MonitoringVisit,
    Progress,
    QualityStatement,
    Rating,
    RatingOverride,
    RegulatoryBreach,
    SelfAssessment,
    ThemeJudgement,
    ThemeMeasure,
)
from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.measures import Period, exists, get
from candour.people.demo import demo_email
from candour.people.models import CoreService, OrgUnit, User

SAFEGUARDING = "safe-safeguarding"
# Months ago each round of self-assessment was made; not every statement is reassessed every round.
ROUNDS = [23, 17, 11, 5, 1]


@dataclass(frozen=True)
class DemoBinding:
    statement: str
    measure_key: str
    thresholds: tuple[float, float, float]


BINDINGS = [
    DemoBinding(SAFEGUARDING, "learning.safeguarding_children_l3_compliance", (60, 85, 95)),
    # Safeguarding is evidenced by safeguarding training; speaking up is evidenced under well-led.
    DemoBinding(SAFEGUARDING, "learning.safeguarding_children_l2_compliance", (60, 85, 95)),
    DemoBinding("safe-learning-culture", "speakup.closed_with_feedback_share", (70, 85, 95)),
    DemoBinding("safe-safe-and-effective-staffing", "learning.compliance.cstf-resuscitation", (60, 80, 95)),
    DemoBinding("safe-infection-prevention-and-control", "learning.compliance.cstf-ipc-2", (60, 85, 95)),
    DemoBinding("safe-safe-environments", "learning.compliance.cstf-health-safety", (60, 85, 95)),
    DemoBinding(
        "safe-involving-people-to-manage-risks", "learning.compliance.cstf-moving-handling-2", (60, 85, 95)
    ),
    DemoBinding(
        "effective-how-staff-teams-and-services-work-together",
        "learning.briefing_acknowledged_share",
        (60, 80, 95),
    ),
    DemoBinding("caring-workforce-wellbeing-and-enablement", "voice.kept_informed", (40, 60, 80)),
    # Apprentices' own word on feeling safe: a pulse month can be a handful of answers, so it evidences
    # wellbeing here and the Ofsted safeguarding theme, not the trust's safeguarding score on its own.
    DemoBinding("caring-workforce-wellbeing-and-enablement", "voice.feel_safe", (70, 85, 95)),
    DemoBinding(
        "responsive-listening-to-and-involving-people", "speakup.closed_with_feedback_share", (70, 85, 95)
    ),
    DemoBinding("well-led-freedom-to-speak-up", "speakup.would_speak_up_again_share", (50, 75, 90)),
    DemoBinding("well-led-freedom-to-speak-up", "speakup.median_days_to_triage", (5, 2, 1)),
    DemoBinding("well-led-capable-compassionate-and-inclusive-leaders", "voice.leaders_listen", (15, 40, 70)),
    DemoBinding(
        "well-led-governance-management-and-sustainability",
        "learning.information_governance_compliance",
        (80, 90, 95),
    ),
]

NARRATIVES = {
    1: "Significant shortfalls found on visits and in audit; the improvement plan is yet to show results.",
    2: "Some shortfalls: practice is inconsistent between stations and the action plan is part-way through.",
    3: "Good: seen consistently on station visits, in audit and in what staff and patients tell us.",
    4: "Exceptional: sustained over the year, with learning shared with other trusts.",
}
SAFEGUARDING_NARRATIVES = {
    3: "Safeguarding policies are in place, staff know how to make a referral and the safeguarding team is "
    "available around the clock. Referrals are made promptly.",
    4: "Safeguarding is embedded: every crew knows how to refer, the team reviews every referral within a "
    "day, and we share learning across the region.",
}

# Published ratings (key question or "" overall) per core service slug ("" the trust).
LAST_INSPECTION = {
    "": {
        "safe": "requires_improvement",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well_led": "requires_improvement",
        "": "requires_improvement",
    },
    "emergency-urgent-care": {
        "safe": "requires_improvement",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well_led": "requires_improvement",
        "": "requires_improvement",
    },
    "emergency-operations-centre": {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "requires_improvement",
        "well_led": "good",
        "": "good",
    },
    "nhs-111": {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well_led": "good",
        "": "good",
    },
    "patient-transport": {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well_led": "requires_improvement",
        "": "good",
    },
}
EARLIER_INSPECTION = {
    "": {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well_led": "good",
        "": "good",
    },
    "emergency-urgent-care": {
        "safe": "good",
        "effective": "good",
        "caring": "outstanding",
        "responsive": "good",
        "well_led": "good",
        "": "good",
    },
}

THEME_MEASURES = {
    "leadership": ["learning.briefing_acknowledged_share", "speakup.would_speak_up_again_share"],
    "training-quality": ["learning.reviews_on_time", "learning.off_the_job_on_track"],
    "safeguarding": [
        "learning.apprentices_feel_safe",
        "voice.feel_safe",
        "learning.safeguarding_children_l3_compliance",
        "learning.compliance.prevent-3",
    ],
}
VISIT_JUDGEMENTS = {
    "leadership": Progress.REASONABLE,
    "training-quality": Progress.REASONABLE,
    "safeguarding": Progress.INSUFFICIENT,
}
# (months ago, theme, progress, narrative): our own judgements since the visit.
SELF_JUDGEMENTS = [
    (
        7,
        "leadership",
        Progress.REASONABLE,
        "Governance of the apprenticeship programme is now reported to the "
        "education committee monthly; employer engagement is still uneven between areas.",
    ),
    (
        7,
        "training-quality",
        Progress.REASONABLE,
        "Progress reviews are mostly on time; off-the-job hours are tracked for every apprentice.",
    ),
    (
        7,
        "safeguarding",
        Progress.INSUFFICIENT,
        "Apprentices still report harassment on placement, and level 3 "
        "safeguarding training among mentors is below target.",
    ),
    (2, "leadership", Progress.REASONABLE, "Leaders now meet apprentices quarterly in every area."),
    (
        2,
        "training-quality",
        Progress.SIGNIFICANT,
        "Reviews are tripartite and on time; apprentices' feedback on their training has improved.",
    ),
    (
        2,
        "safeguarding",
        Progress.REASONABLE,
        "A named safeguarding contact for every apprentice, a sexual "
        "safety pulse each quarter, and low-level concerns now recorded and reviewed.",
    ),
]


def _months_ago(today: dt.date, months: int, day: int = 12) -> dt.date:
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return min(dt.date(year, month, day), today)


def _user(slug: str) -> User:
    return User.objects.get(email=demo_email(slug))


def build(context: DemoContext) -> None:
    rng = context.rng_for("assurance.framework")
    today = context.today
    quality_lead = _user("quality.lead")
    executive = _user("executive")
    safeguarding_lead = _user("safeguarding.lead")
    trust = OrgUnit.objects.trust()
    services = list(CoreService.objects.all())
    statements = {statement.code: statement for statement in QualityStatement.objects.all()}

    bindings = _bind(statements, quality_lead)
    bound_by_statement: dict[str, list[MeasureBinding]] = {}
    for binding in bindings:
        bound_by_statement.setdefault(binding.quality_statement.code, []).append(binding)

    evidence_cache: dict[tuple[str, dt.date], float | None] = {}

    def evidence_on(code: str, day: dt.date):
        """What the bound measures said about a statement that month, as the manager would have read it."""
        scores = []
        for binding in bound_by_statement.get(code, []):
            slot = (binding.measure_key, day.replace(day=1))
            if slot not in evidence_cache:
                evidence_cache[slot] = (
                    get(binding.measure_key).value_for(trust, Period.month(day.year, day.month)).value
                )
            value = evidence_cache[slot]
            thresholds = Thresholds(binding.score_2_from, binding.score_3_from, binding.score_4_from)
            scores.append(thresholds.score(value, get(binding.measure_key).direction))
        return evidence_score(scores)

    assessments, links = [], []
    slots = [(service, statement) for service in services for statement in statements.values()]
    slots += [(None, s) for s in statements.values() if s.key_question == KeyQuestion.WELL_LED]
    for service, statement in slots:
        baseline = rng.choices([2, 3, 4], weights=[2, 7, 1])[0]
        score = baseline
        for index, months_ago in enumerate(ROUNDS):
            # Everything is assessed at first; later rounds revisit about half, and safeguarding each time.
            if index and statement.code != SAFEGUARDING and rng.random() < 0.5:
                continue
            day = _months_ago(today, months_ago, rng.randint(3, 26))
            if statement.code == SAFEGUARDING:
                score = rng.choice([3, 3, 4])
                narrative = SAFEGUARDING_NARRATIVES[score]
                assessor = safeguarding_lead
            else:
                evidence = evidence_on(statement.code, day)
                if evidence is not None:
                    # Close to what the measures say, sometimes a little kinder.
                    score = max(1, min(4, round(float(evidence) + rng.choice([0, 0, 0.4]))))
                else:
                    score = max(1, min(4, score + rng.choice([-1, 0, 0, 0, 1])))
                narrative = NARRATIVES[score]
                assessor = executive if service is None else quality_lead
            assessment = SelfAssessment(
                quality_statement=statement,
                core_service=service,
                score=score,
                narrative=narrative,
                assessed_on=day,
                assessed_by=assessor,
            )
            assessments.append(assessment)
            for binding in bound_by_statement.get(statement.code, []):
                links.append(EvidenceLink(assessment=assessment, measure_key=binding.measure_key))
            if statement.code == SAFEGUARDING:
                links.append(
                    EvidenceLink(
                        assessment=assessment,
                        document_title="Safeguarding annual report",
                        document_location="Board papers, safeguarding committee",
                    )
                )
    SelfAssessment.objects.bulk_create(assessments, batch_size=1_000)
    EvidenceLink.objects.bulk_create(links, batch_size=1_000)

    by_slug = {service.slug: service for service in services}
    _inspections(today, by_slug, quality_lead)
    RegulatoryBreach.objects.create(
        core_service=by_slug["emergency-urgent-care"],
        key_question=KeyQuestion.SAFE,
        regulation="Regulation 13: safeguarding service users from abuse and improper treatment",
        description="Not all clinicians held level 3 safeguarding children training, and apprentices' "
        "reports of harassment were not acted on.",
        found_on=_months_ago(today, 20, 4),
        recorded_by=quality_lead,
    )
    RatingOverride.objects.create(
        core_service=None,
        key_question=KeyQuestion.WELL_LED,
        rating=Rating.REQUIRES_IMPROVEMENT,
        reason="The board holds well-led at requires improvement until the safeguarding action plan is on "
        "track and staff say leaders listen, whatever the statement scores say.",
        decided_on=_months_ago(today, 3, 9),
        decided_by=executive,
    )
    _ofsted(today, quality_lead)
    audit.record(
        action="seeded_demo",
        system="seed_demo",
        summary=f"Demo CQC framework: {len(assessments)} self-assessments, {len(bindings)} bindings",
        changes={"assessments": len(assessments), "bindings": len(bindings)},
    )


def _bind(statements: dict[str, QualityStatement], lead: User) -> list[MeasureBinding]:
    # A measure defined by data (a survey question) exists only if its part of the demo made it.
    return MeasureBinding.objects.bulk_create(
        [
            MeasureBinding(
                quality_statement=statements[bound.statement],
                measure_key=bound.measure_key,
                score_2_from=bound.thresholds[0],
                score_3_from=bound.thresholds[1],
                score_4_from=bound.thresholds[2],
                bound_by=lead,
            )
            for bound in BINDINGS
            if exists(bound.measure_key)
        ]
    )


def _inspections(today: dt.date, services: dict[str, CoreService], lead: User) -> None:
    rows = []
    for months_ago, reference, ratings in [
        (44, "INS2-1187", EARLIER_INSPECTION),
        (20, "INS2-4410", LAST_INSPECTION),
    ]:
        published_on = _months_ago(today, months_ago, 4)
        for slug, by_question in ratings.items():
            for key_question, rating in by_question.items():
                rows.append(
                    InspectionRating(
                        published_on=published_on,
                        core_service=services.get(slug),
                        key_question=key_question,
                        rating=rating,
                        report_reference=reference,
                        recorded_by=lead,
                    )
                )
    InspectionRating.objects.bulk_create(rows)


def _ofsted(today: dt.date, lead: User) -> None:
    themes = {theme.code: theme for theme in MonitoringTheme.objects.all()}
    visited_on = _months_ago(today, 10, 15)
    visit = MonitoringVisit.objects.create(
        visited_on=visited_on,
        summary="New provider monitoring visit. Safeguarding: apprentices did not all know how to raise a "
        "concern, and harassment on placement was not always acted on.",
        recorded_by=lead,
    )
    ThemeJudgement.objects.bulk_create(
        [
            ThemeJudgement(
                theme=themes[code], visit=visit, progress=progress, judged_on=visited_on, judged_by=lead
            )
            for code, progress in VISIT_JUDGEMENTS.items()
            if code in themes
        ]
        + [
            ThemeJudgement(
                theme=themes[code],
                progress=progress,
                narrative=narrative,
                judged_on=_months_ago(today, months_ago, 20),
                judged_by=lead,
            )
            for months_ago, code, progress, narrative in SELF_JUDGEMENTS
            if code in themes
        ]
    )
    ThemeMeasure.objects.bulk_create(
        [
            ThemeMeasure(theme=themes[code], measure_key=key)
            for code, keys in THEME_MEASURES.items()
            if code in themes
            for key in keys
            if exists(key)
        ]
    )
