"""Action plans: who sees which plan and action, the choices their forms offer, and which measures can
judge an action."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from candour.assurance.access import MANAGE_PLANS, VIEW, may_update_action
from candour.assurance.models import (
    Action,
    ActionPlan,
    Milestone,
)
from candour.core.measures import Direction, Measure, UnknownMeasure, all_measures, get
from candour.people.access import scope_of
from candour.people.models import Membership, OrgUnit, User
from candour.people.roles import roles_with

# Measures about plans themselves cannot be an action's success measure: the pace would judge itself.
PLAN_MEASURE_PREFIX = "assurance.actions_"


def units_under(unit: OrgUnit | int) -> list[int]:
    """The unit and every unit below it (a trust's areas and stations, an area's stations)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        OrgUnit.objects.filter(
            Q(pk=unit_id) | Q(parent_id=unit_id) | Q(parent__parent_id=unit_id)
        ).values_list("pk", flat=True)
    )


def measure_or_none(key: str) -> Measure | None:
    try:
        return get(key)
    except UnknownMeasure:
        return None


def success_measures() -> list[Measure]:
    """Measures an action can aim at: registered, with an improvement direction, and not about plans."""
    return [
        measure
        for measure in all_measures()
        if not measure.key.startswith(PLAN_MEASURE_PREFIX)
        and Direction(measure.direction) != Direction.NEITHER
    ]


# Who sees what


def visible_plans(user: User) -> QuerySet[ActionPlan]:
    """Plans over units the user may view, and any plan they own or own an action in."""
    if not getattr(user, "is_authenticated", False):
        return ActionPlan.objects.none()
    scope = scope_of(user, VIEW)
    owns_action = Exists(Action.objects.filter(plan=OuterRef("pk"), owner=user))
    return ActionPlan.objects.filter(Q(unit_id__in=scope.unit_ids) | Q(owner=user) | owns_action)


def visible_actions(user: User) -> QuerySet[Action]:
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    scope = scope_of(user, VIEW)
    return Action.objects.filter(Q(plan__unit_id__in=scope.unit_ids) | Q(plan__owner=user) | Q(owner=user))


def plan_for_viewer(user: User, plan_id: uuid.UUID) -> ActionPlan | None:
    return visible_plans(user).select_related("unit", "owner__person").filter(public_id=plan_id).first()


def plan_for_manager(user: User, plan_id: uuid.UUID) -> ActionPlan | None:
    """A plan the user may change: they manage plans over its unit."""
    scope = scope_of(user, MANAGE_PLANS)
    return (
        ActionPlan.objects.select_related("unit")
        .filter(public_id=plan_id, unit_id__in=scope.unit_ids)
        .first()
    )


def action_for_viewer(user: User, action_id: uuid.UUID) -> Action | None:
    return (
        visible_actions(user)
        .select_related("plan__unit", "owner__person", "plan__owner__person")
        .filter(public_id=action_id)
        .first()
    )


def action_for_updater(user: User, action_id: uuid.UUID) -> Action | None:
    """An action the user may keep up to date: its owner, or whoever manages plans over its unit."""
    action = action_for_viewer(user, action_id)
    return action if action is not None and may_update_action(user, action) else None


def action_for_manager(user: User, action_id: uuid.UUID) -> Action | None:
    scope = scope_of(user, MANAGE_PLANS)
    return (
        Action.objects.select_related("plan__unit", "owner__person")
        .filter(public_id=action_id, plan__unit_id__in=scope.unit_ids)
        .first()
    )


def milestone_for_updater(user: User, milestone_id: uuid.UUID) -> Milestone | None:
    milestone = (
        Milestone.objects.select_related("action__plan__unit")
        .filter(public_id=milestone_id, action__in=visible_actions(user))
        .first()
    )
    return milestone if milestone is not None and may_update_action(user, milestone.action) else None


def milestone_for_manager(user: User, milestone_id: uuid.UUID) -> Milestone | None:
    scope = scope_of(user, MANAGE_PLANS)
    return (
        Milestone.objects.select_related("action__plan__unit")
        .filter(public_id=milestone_id, action__plan__unit_id__in=scope.unit_ids)
        .first()
    )


# Choices for the forms


def plan_units(user: User) -> list[OrgUnit]:
    """Units a plan can be set for: the trust and areas the user manages plans in. Measures are kept for
    those (see `snapshot_units`), so every action's success measure has a value to be judged against."""
    scope = scope_of(user, MANAGE_PLANS)
    return list(
        OrgUnit.objects.filter(
            pk__in=scope.unit_ids, kind__in=[OrgUnit.Kind.TRUST, OrgUnit.Kind.AREA]
        ).order_by("kind", "name")
    )


def _ancestors(unit_ids: Iterable[int]) -> set[int]:
    found = set()
    for parent_id, grandparent_id in OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list(
        "parent_id", "parent__parent_id"
    ):
        found.update(pk for pk in (parent_id, grandparent_id) if pk)
    return found


def owner_choices(unit_ids: Iterable[int]) -> list[tuple[User, str]]:
    """People who can own a plan or an action over these units (give them with the units below): active users
    holding a leading role (one that may view assurance) at one of them or above them. Each once, labelled."""
    unit_ids = set(unit_ids)
    reach = unit_ids | _ancestors(unit_ids)
    memberships = (
        Membership.objects.active()
        .filter(role__in=roles_with(VIEW), unit_id__in=reach, user__is_active=True)
        .select_related("user__person", "unit")
        .order_by("user__person__family_name", "user__person__given_name", "user__email", "role")
    )
    chosen: dict[int, tuple[User, str]] = {}
    for membership in memberships:
        if membership.user_id not in chosen:
            label = (
                f"{membership.user.display_name} ({membership.get_role_display()}, {membership.unit.name})"
            )
            chosen[membership.user_id] = (membership.user, label)
    return list(chosen.values())
