"""Northmoor's risk register: ten risks from what inspectors keep finding at ambulance trusts, scored on the
5 by 5 matrix, two of them past their review date. Deterministic: dates are counted from the demo's today.

Written in the shape `services.risks` writes them (the next reference, scores within the rules); the plans
part links actions to them afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from candour.assurance.models import Risk
from candour.assurance.models.risks import RiskReview
from candour.assurance.risk_scoring import score_problems
from candour.assurance.services.risks import next_reference
from candour.core import audit
from candour.core.demo import DemoContext
from candour.people.demo import demo_email
from candour.people.models import User


@dataclass(frozen=True)
class DemoRisk:
    key: str
    title: str
    description: str
    controls: str
    owner: str
    inherent: tuple[int, int]
    current: tuple[int, int]
    target: tuple[int, int]
    opened_days_ago: int
    review_in_days: int  # negative: the review is overdue
    in_first_area: bool = False
    # (days ago, likelihood, consequence, note): the reviews that brought it to its current scores.
    reviews: tuple[tuple[int, int, int, str], ...] = ()


RISKS = [
    DemoRisk(
        "safeguarding-training",
        "Safeguarding children training below the required level",
        "Because level 3 safeguarding children training has fallen behind for clinicians who may refer, "
        "there is a risk that crews miss or mishandle signs of abuse or exploitation, which would lead to "
        "children left at risk of harm and a breach of regulation 13.",
        "Monthly compliance reports to each area. Extra level 3 sessions commissioned. Safeguarding team on "
        "call around the clock for advice before a referral.",
        "safeguarding.lead",
        inherent=(4, 5),
        current=(4, 4),
        target=(2, 4),
        opened_days_ago=300,
        review_in_days=24,
        reviews=((62, 4, 4, "Level 3 is rising slowly, far behind the trajectory to 90%. Kept at 16."),),
    ),
    DemoRisk(
        "apprentice-sexual-safety",
        "Apprentices harassed or unsafe at work",
        "Because apprentices work alongside more senior crews, often on nights, and may not know how to "
        "raise a concern, there is a risk that sexual harassment or bullying goes unreported, which would "
        "lead to harm to apprentices, withdrawals, and an insufficient progress judgement on safeguarding.",
        "Named mentor for every apprentice. Welfare and sexual-safety questions at every progress review. "
        "Concerns can be raised with the guardian confidentially or anonymously.",
        "education.lead",
        inherent=(4, 5),
        current=(3, 5),
        target=(2, 4),
        opened_days_ago=200,
        review_in_days=40,
        reviews=((35, 3, 5, "Fewer welfare flags at reviews, but two reports this quarter. Kept at 15."),),
    ),
    DemoRisk(
        "999-recording",
        "999 calls not consistently recorded",
        "Because the call recorder drops a share of calls when it fails over, there is a risk that some 999 "
        "calls cannot be reviewed, which would lead to incidents and complaints that cannot be investigated.",
        "Daily reconciliation of the recorder index against the call log. Supplier fix scheduled.",
        "quality.lead",
        inherent=(4, 4),
        current=(3, 4),
        target=(1, 4),
        opened_days_ago=420,
        review_in_days=-21,
    ),
    DemoRisk(
        "controlled-drugs",
        "Controlled drugs not reconciled at every station",
        "Because controlled drug registers are kept on paper at some stations, there is a risk that losses "
        "or discrepancies are not found quickly, which would lead to diversion, harm and regulatory action.",
        "Weekly reconciliation by station managers. Monthly audit by the medicines team.",
        "medicines.lead",
        inherent=(4, 4),
        current=(3, 4),
        target=(2, 3),
        opened_days_ago=380,
        review_in_days=55,
    ),
    DemoRisk(
        "equipment-servicing",
        "Medical equipment overdue for service",
        "Because servicing is tracked in several spreadsheets, there is a risk that defibrillators and "
        "suction units stay in use past their service date, which would lead to equipment failing in use.",
        "Service dates checked at vehicle daily inspection. Overdue items withdrawn.",
        "fleet.lead",
        inherent=(4, 3),
        current=(3, 3),
        target=(2, 3),
        opened_days_ago=260,
        review_in_days=70,
    ),
    DemoRisk(
        "vehicle-cleanliness",
        "Vehicles of varied cleanliness",
        "Because deep cleans slip when vehicle availability is short, there is a risk that infection "
        "prevention standards are not met, which would lead to infection passed between patients.",
        "Deep-clean schedule by make-ready teams. Monthly cleanliness audits by station.",
        "fleet.lead",
        inherent=(4, 3),
        current=(3, 3),
        target=(2, 2),
        opened_days_ago=330,
        review_in_days=-9,
    ),
    DemoRisk(
        "handover-delays",
        "Long waits for an ambulance and delays handing over at hospital",
        "Because crews wait hours to hand patients over at emergency departments, there is a risk that "
        "patients in the community wait too long for a response, which would lead to avoidable harm.",
        "Hospital ambulance liaison officers at the busiest departments. Cohorting agreed with two trusts. "
        "Welfare calls to patients waiting in the community.",
        "executive",
        inherent=(5, 5),
        current=(4, 5),
        target=(3, 4),
        opened_days_ago=540,
        review_in_days=12,
        reviews=((48, 4, 5, "Handover times improved in summer and worsened again in the autumn."),),
    ),
    DemoRisk(
        "bariatric-provision",
        "Bariatric provision inconsistent across the area",
        "Because bariatric-capable vehicles and equipment are not available at every station, there is a "
        "risk that patients living with obesity wait longer or are moved unsafely, which would lead to harm "
        "and a loss of dignity.",
        "Two bariatric-capable vehicles on call across the area. Moving and handling training for crews.",
        "operations.manager",
        inherent=(3, 4),
        current=(3, 4),
        target=(2, 3),
        opened_days_ago=150,
        review_in_days=33,
        in_first_area=True,
    ),
    DemoRisk(
        "apprenticeship-contract",
        "Apprenticeship provision lost or transferred",
        "Because an insufficient progress judgement at a monitoring visit stops new apprentice starts, there "
        "is a risk that the trust loses its apprenticeship contract and must transfer its apprentices, which "
        "would lead to gaps in the future workforce.",
        "Monitoring-visit readiness reviewed each quarter. Self-judgements against each theme.",
        "education.lead",
        inherent=(3, 5),
        current=(3, 4),
        target=(2, 3),
        opened_days_ago=180,
        review_in_days=60,
    ),
    DemoRisk(
        "board-disconnect",
        "A disconnect between the front line and the board",
        "Because leaders rely on reports rather than what staff see, there is a risk of an overly optimistic "
        "view of safety and culture, which would lead to problems found late, by inspectors rather than by "
        "us.",
        "Board walkabouts each month. Freedom to speak up reports to every public board. The candour gap "
        "shown beside every self-assessment.",
        "executive",
        inherent=(4, 4),
        current=(3, 4),
        target=(2, 3),
        opened_days_ago=240,
        review_in_days=45,
    ),
]


def _scores(demo: DemoRisk) -> dict[str, int]:
    scores = {}
    for stage, (likelihood, consequence) in (
        ("inherent", demo.inherent),
        ("current", demo.current),
        ("target", demo.target),
    ):
        scores[f"{stage}_likelihood"], scores[f"{stage}_consequence"] = likelihood, consequence
    problems = score_problems(scores)
    if problems:
        raise ValueError(f"Demo risk {demo.key}: {problems}")
    return scores


def build(context: DemoContext) -> None:
    today = context.today
    trust, first_area = context.shared["trust"], context.shared["areas"][0]
    users = {user.email: user for user in User.objects.select_related("person")}
    risks = {}
    for demo in RISKS:
        owner = users[demo_email(demo.owner)]
        risk = Risk.objects.create(
            reference=next_reference(),
            title=demo.title,
            description=demo.description,
            controls=demo.controls,
            unit=first_area if demo.in_first_area else trust,
            owner=owner,
            opened_on=today - dt.timedelta(days=demo.opened_days_ago),
            review_due_on=today + dt.timedelta(days=demo.review_in_days),
            **_scores(demo),
        )
        for days_ago, likelihood, consequence, note in demo.reviews:
            reviewed_on = today - dt.timedelta(days=days_ago)
            RiskReview.objects.create(
                risk=risk,
                reviewed_on=reviewed_on,
                reviewed_by=owner,
                current_likelihood=likelihood,
                current_consequence=consequence,
                next_review_on=risk.review_due_on,
                note=note,
            )
            risk.last_reviewed_on = reviewed_on
        if demo.reviews:
            risk.save(update_fields=["last_reviewed_on"])
        risks[demo.key] = risk
    context.shared["assurance.risks"] = risks
    audit.record(
        action="seeded_demo_risks",
        system="seed_demo",
        summary=f"{len(risks)} risks on the register",
    )
