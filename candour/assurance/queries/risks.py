"""Assurance queries: the risk register. Who sees which risk, the register with its heat map, a risk's page,
and the top risks for the board report.

A risk is seen by those with `assurance.view` over its unit, and by its owner. Anything else is not found.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from candour.assurance.access import MANAGE_RISKS, VIEW, may_review_risk
from candour.assurance.models import Action, ActionPlan, Risk
from candour.assurance.queries import plans as plan_queries
from candour.assurance.risk_scoring import CONSEQUENCE, LIKELIHOOD, Band, Bands, HeatMap, heat_map
from candour.assurance.status import Judgement
from candour.people.access import can, scope_of
from candour.people.models import OrgUnit, User


def visible_risks(user: User) -> QuerySet[Risk]:
    if not getattr(user, "is_authenticated", False):
        return Risk.objects.none()
    scope = scope_of(user, VIEW)
    return Risk.objects.filter(Q(unit_id__in=scope.unit_ids) | Q(owner=user))


def risk_for_viewer(user: User, risk_id: uuid.UUID | None) -> Risk | None:
    if risk_id is None:
        return None
    return visible_risks(user).select_related("unit", "owner__person").filter(public_id=risk_id).first()


def risk_for_manager(user: User, risk_id: uuid.UUID) -> Risk | None:
    scope = scope_of(user, MANAGE_RISKS)
    return Risk.objects.select_related("unit").filter(public_id=risk_id, unit_id__in=scope.unit_ids).first()


def risk_for_reviewer(user: User, risk_id: uuid.UUID) -> Risk | None:
    """A risk the user may review: its owner, or whoever manages risks over its unit."""
    risk = risk_for_viewer(user, risk_id)
    return risk if risk is not None and may_review_risk(user, risk) else None


def risk_units(user: User) -> list[OrgUnit]:
    """Where the user may hold risks: the trust, areas and stations they manage risks over."""
    scope = scope_of(user, MANAGE_RISKS)
    return list(
        OrgUnit.objects.filter(pk__in=scope.unit_ids)
        .select_related("parent")
        .order_by("kind", "parent__name", "name")
    )


def linkable_actions(user: User) -> list[Action]:
    """Actions a risk can be linked to: those in plans the user sees, the open ones first."""
    return list(
        plan_queries.visible_actions(user)
        .select_related("plan")
        .order_by(F("completed_on").desc(nulls_first=True), "plan__title", "due_on", "title")
    )


def open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


@dataclass(frozen=True)
class Scored:
    likelihood: int
    consequence: int
    band: Band

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def text(self) -> str:
        return (
            f"{self.score} ({self.band.label.lower()}): likelihood {self.likelihood} "
            f"{LIKELIHOOD[self.likelihood].lower()}, consequence {self.consequence} "
            f"{CONSEQUENCE[self.consequence].lower()}"
        )


def scored(risk: Risk, stage: str, bands: Bands) -> Scored:
    likelihood = getattr(risk, f"{stage}_likelihood")
    consequence = getattr(risk, f"{stage}_consequence")
    return Scored(likelihood, consequence, bands.of(likelihood * consequence))


@dataclass(frozen=True)
class RiskRow:
    public_id: uuid.UUID
    reference: str
    title: str
    unit: str
    owner: str
    inherent: Scored
    current: Scored
    target: Scored
    review_due_on: dt.date
    last_reviewed_on: dt.date | None
    review_overdue: bool
    closed_on: dt.date | None

    @property
    def at_target(self) -> bool:
        return self.current.score <= self.target.score


def _row(risk: Risk, bands: Bands, today: dt.date) -> RiskRow:
    return RiskRow(
        public_id=risk.public_id,
        reference=risk.reference,
        title=risk.title,
        unit=risk.unit.name,
        owner=risk.owner.display_name,
        inherent=scored(risk, "inherent", bands),
        current=scored(risk, "current", bands),
        target=scored(risk, "target", bands),
        review_due_on=risk.review_due_on,
        last_reviewed_on=risk.last_reviewed_on,
        review_overdue=risk.closed_on is None and risk.review_due_on < today,
        closed_on=risk.closed_on,
    )


def _by_current_score(risks) -> list[Risk]:
    return sorted(risks, key=lambda r: (-r.current_score, -r.inherent_score, r.reference))


@dataclass(frozen=True)
class RegisterPage:
    risks: list[RiskRow]
    above_appetite: bool  # only the risks above their appetite are listed
    heat_map: HeatMap
    bands: list[tuple[Band, str]]
    overdue_reviews: int
    may_create: bool


def register_page(user: User, today: dt.date, *, above_appetite: bool = False) -> RegisterPage:
    """The open risks the user sees (or only those above their appetite: the current score above the
    target), highest current score first, and the heat map of where they all sit now."""
    bands = Bands.from_settings()
    risks = _by_current_score(
        visible_risks(user).filter(open_on(today)).select_related("unit", "owner__person")
    )
    rows = [_row(risk, bands, today) for risk in risks]
    return RegisterPage(
        risks=[row for row in rows if not row.at_target] if above_appetite else rows,
        above_appetite=above_appetite,
        heat_map=heat_map(((r.current_likelihood, r.current_consequence) for r in risks), bands),
        bands=bands.describe(),
        overdue_reviews=sum(1 for row in rows if row.review_overdue),
        may_create=bool(risk_units(user)),
    )


@dataclass(frozen=True)
class LinkedAction:
    action: Action
    judgement: Judgement


@dataclass(frozen=True)
class RiskPage:
    risk: Risk
    row: RiskRow
    linked: list[LinkedAction]
    plans: list[ActionPlan]
    reviews: list
    may_edit: bool
    may_review: bool
    may_plan: bool


def risk_page(user: User, risk: Risk, today: dt.date) -> RiskPage:
    bands = Bands.from_settings()
    actions = list(
        plan_queries.with_milestones(risk.linked_actions.filter(pk__in=plan_queries.visible_actions(user)))
    )
    judgements = plan_queries.judge_actions(actions, today)
    return RiskPage(
        risk=risk,
        row=_row(risk, bands, today),
        linked=[LinkedAction(action, judgements[action.pk]) for action in actions],
        plans=list(plan_queries.visible_plans(user).filter(risk=risk).order_by("title")),
        reviews=list(risk.reviews.select_related("reviewed_by__person")),
        may_edit=can(user, MANAGE_RISKS, risk),
        may_review=may_review_risk(user, risk),
        may_plan=bool(plan_queries.plan_units(user)),
    )


def overdue_reviews_owned(user: User, today: dt.date) -> list[Risk]:
    """The user's own open risks whose review date has passed."""
    return list(
        Risk.objects.filter(open_on(today), owner=user, review_due_on__lt=today).order_by("review_due_on")
    )


def top_risks(*, limit: int = 10, on: dt.date, scope_units=None) -> list[RiskRow]:
    """The highest-scoring risks open on a day (over the given units, or all), by their current score as
    held now; review overdue is judged on that day."""
    bands = Bands.from_settings()
    risks = Risk.objects.filter(open_on(on)).select_related("unit", "owner__person")
    if scope_units is not None:
        risks = risks.filter(unit_id__in=[u if isinstance(u, int) else u.pk for u in scope_units])
    return [_row(risk, bands, on) for risk in _by_current_score(risks)[:limit]]
