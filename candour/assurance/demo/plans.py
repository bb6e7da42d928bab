"""Northmoor's action plans: one slipping, one on track. Deterministic: dates count from the demo's today and
baselines are read from the measures themselves, through the registry, as they stood when each action began.

- "Safeguarding training": from CQC's finding on safeguarding (Safe, Safeguarding). Level 3 compliance is
  rising, but far slower than its trajectory to 90%, and a milestone has been missed; level 1 for
  non-clinical staff is past its due date and was escalated to the safeguarding lead's line manager; level 2
  is on track.
- "Apprentices safe at work": from the apprentice sexual-safety risk. A briefing for apprentices and mentors
  is complete with its evidence; encouraging low-level concerns has just begun and is on track.

Written directly, in the shape `services.plans` writes them, because the demo replays months that have
passed: evidence, milestones and completions carry the days they happened on.
"""

from __future__ import annotations

import datetime as dt

from candour.assurance.models import (
    Action,
    ActionEscalation,
    ActionEvidence,
    ActionPlan,
    FindingSource,
    Milestone,
    QualityStatement,
)
from candour.assurance.status import direction_problem
from candour.core import audit
from candour.core.demo import DemoContext
from candour.core.measures import Period, get
from candour.core.months import last_complete_month
from candour.people.demo import demo_email
from candour.people.models import CoreService, User

SAFEGUARDING_FINDING = (
    "The trust did not make sure that all staff completed safeguarding training at the level their role "
    "needed. Compliance with level 3 safeguarding children training was well below the trust's target, and "
    "some staff who may make referrals were unsure how to recognise and report exploitation.\n"
    "There was no robust action plan to make safeguarding training compliance improve rapidly."
)
APPRENTICE_FINDING = (
    "Apprentices told us they did not always feel safe on shift, and some had experienced sexualised "
    "comments they had not reported. Leaders held an overly optimistic view of apprentices' experience."
)


def _value_in(key: str, unit, day: dt.date) -> float:
    """The measure's value for the month holding a day, as the registry computes it."""
    value = get(key).value_for(unit, Period.month(day.year, day.month)).value
    if value is None:
        raise ValueError(f"The demo needs a value of {key} for {day:%B %Y}")
    return round(value, 1)


def build(context: DemoContext) -> None:
    today = context.today
    trust = context.shared["trust"]
    risks = context.shared["assurance.risks"]
    users = {user.email: user for user in User.objects.select_related("person")}
    quality, safeguarding, education, executive = (
        users[demo_email(slug)]
        for slug in ("quality.lead", "safeguarding.lead", "education.lead", "executive")
    )
    # The safeguarding lead reports to the executive director, so an overdue action has somewhere to go.
    safeguarding.person.line_manager = executive.person
    safeguarding.person.save(update_fields=["line_manager"])

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    def action(plan, owner, title, description, key, target, starts, due, baseline=None) -> Action:
        baseline = _value_in(key, trust, starts) if baseline is None else baseline
        measure = get(key)
        problem = direction_problem(
            title=measure.title,
            direction=measure.direction,
            baseline=baseline,
            target=target,
            unit=measure.unit,
        )
        if problem:
            raise ValueError(f"Demo action {title!r}: {problem}")
        return Action.objects.create(
            plan=plan,
            owner=owner,
            title=title,
            description=description,
            measure_key=key,
            target=target,
            baseline=baseline,
            starts_on=starts,
            due_on=due,
        )

    # The slipping plan.
    safeguarding_plan = ActionPlan.objects.create(
        title="Safeguarding training that every role needs",
        finding=SAFEGUARDING_FINDING,
        source=FindingSource.INSPECTION,
        quality_statement=QualityStatement.objects.get(code="safe-safeguarding"),
        core_service=CoreService.objects.get(slug="emergency-urgent-care"),
        unit=trust,
        owner=safeguarding,
        created_by=quality,
    )
    level_3 = action(
        safeguarding_plan,
        education,
        "Bring level 3 safeguarding children training to 90% of clinicians who need it",
        "Extra face-to-face sessions in every area, with rostered time to attend; e-learning for the "
        "knowledge part.",
        "learning.safeguarding_children_l3_compliance",
        90,
        days(-150),
        days(60),
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                action=level_3,
                title="Commission 24 extra level 3 sessions across the five areas",
                due_on=days(-130),
                done_on=days(-133),
            ),
            Milestone(
                action=level_3, title="Release rostered time for every crew to attend", due_on=days(-30)
            ),
            Milestone(action=level_3, title="Every area at 80% or above", due_on=days(30)),
        ]
    )
    ActionEvidence.objects.create(
        action=level_3,
        description="Contract for 24 additional level 3 sessions with the regional safeguarding trainers.",
        location="Procurement reference NMAS-PR-2291",
        added_on=days(-133),
        added_by=education,
    )
    level_1 = action(
        safeguarding_plan,
        safeguarding,
        "Level 1 safeguarding children training for every non-clinical member of staff",
        "Control room, 111 and support staff, through the e-learning module.",
        "learning.safeguarding_children_l1_compliance",
        95,
        days(-120),
        days(-12),
    )
    Milestone.objects.create(
        action=level_1, title="List non-clinical staff without level 1", due_on=days(-106), done_on=days(-108)
    )
    ActionEscalation.objects.create(
        action=level_1, due_on=level_1.due_on, escalated_on=days(-11), escalated_to=executive
    )
    level_2 = action(
        safeguarding_plan,
        safeguarding,
        "Raise level 2 safeguarding children training to 90%",
        "Refresher e-learning for staff whose level 2 has lapsed, tracked by station.",
        "learning.safeguarding_children_l2_compliance",
        90,
        days(-180),
        days(420),
    )
    Milestone.objects.create(
        action=level_2,
        title="Send every lapsed member of staff their refresher",
        due_on=days(-150),
        done_on=days(-152),
    )

    # The plan on track.
    apprentice_risk = risks["apprentice-sexual-safety"]
    apprentice_plan = ActionPlan.objects.create(
        title="Apprentices safe at work, and heard when they are not",
        finding=APPRENTICE_FINDING,
        source=FindingSource.RISK,
        risk=apprentice_risk,
        unit=trust,
        owner=education,
        created_by=quality,
    )
    briefing = action(
        apprentice_plan,
        education,
        "Brief every apprentice and mentor on sexual safety and how to speak up",
        "A face-to-face briefing at induction and at each station, and a card with the guardian's details.",
        "learning.apprentices_feel_safe",
        90,
        days(-75),
        days(10),
        # From the apprentice welfare survey the autumn before; the pulse began afterwards.
        baseline=80,
    )
    ActionEvidence.objects.create(
        action=briefing,
        description="Briefing attendance: every apprentice and named mentor, by station.",
        location="Education team drive: Apprenticeships/Sexual safety/attendance.xlsx",
        added_on=days(-22),
        added_by=education,
    )
    Action.objects.filter(pk=briefing.pk).update(completed_on=days(-20), completed_by=education)
    Milestone.objects.create(
        action=briefing, title="Briefing written with the guardian", due_on=days(-60), done_on=days(-61)
    )
    # Set when the action began: the value of the last complete month (a month under way would be a few
    # days' worth); the aim is about one more concern per 100 staff.
    low_level_baseline = _value_in(
        "speakup.low_level_concerns_per_100_staff", trust, last_complete_month(today).start
    )
    low_level = action(
        apprentice_plan,
        education,
        "Make raising a low-level concern ordinary, so harassment is heard early",
        "Mentors talk through low-level concerns at each progress review; leaders answer every one.",
        "speakup.low_level_concerns_per_100_staff",
        round(low_level_baseline + 1, 1),
        days(-14),
        days(200),
        baseline=low_level_baseline,
    )
    Milestone.objects.create(
        action=low_level, title="Every mentor briefed on low-level concerns", due_on=days(45)
    )
    apprentice_risk.linked_actions.set([briefing, low_level])
    risks["safeguarding-training"].linked_actions.set([level_3, level_1, level_2])

    context.shared["assurance.plans"] = {"safeguarding": safeguarding_plan, "apprentices": apprentice_plan}
    audit.record(action="seeded_demo_plans", system="seed_demo", summary="2 action plans, 5 actions")
