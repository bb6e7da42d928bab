"""Who may see a concern. Default deny: the case team, and the lead for its route in scope, and never
the person it is about or their line manager (conflict of interest)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from candour.people.access import can, scope_of
from candour.people.models import Person
from candour.people.roles import Role, grant
from candour.speakup.models import CaseTeamMember, Concern, Route

WORK_SAFEGUARDING = "speakup.work_safeguarding"
WORK_GUARDIAN = "speakup.work_guardian"
VIEW_REPORTS = "speakup.view_reports"
RAISE = "speakup.raise"

ROUTE_PERMISSION = {Route.SAFEGUARDING: WORK_SAFEGUARDING, Route.GUARDIAN: WORK_GUARDIAN}


def grant_permissions() -> None:
    for role in Role:
        grant(role, RAISE)
    grant(Role.SAFEGUARDING_LEAD, WORK_SAFEGUARDING, VIEW_REPORTS)
    grant(Role.GUARDIAN, WORK_GUARDIAN, VIEW_REPORTS)
    grant(Role.EXECUTIVE, VIEW_REPORTS)
    grant(Role.QUALITY_LEAD, VIEW_REPORTS)


def works_cases(user) -> bool:
    return can(user, WORK_SAFEGUARDING) or can(user, WORK_GUARDIAN)


def _conflicted(user) -> Q:
    """Concerns about this user, about anyone this user line-manages, or withheld from this user."""
    if not user.person_id:
        return Q(pk__in=[])
    managed = Person.objects.filter(line_manager_id=user.person_id).values("pk")
    return (
        Q(subject_person_id=user.person_id)
        | Q(subject_person_id__in=managed)
        | Q(withheld_from_id=user.person_id)
    )


def _led_by(user) -> Q:
    allowed = Q(pk__in=[])
    for route, permission in ROUTE_PERMISSION.items():
        scope = scope_of(user, permission)
        if scope.is_empty:
            continue
        in_scope = Q(station_id__in=scope.station_ids)
        if scope.trust_wide:
            in_scope |= Q(station__isnull=True)
        allowed |= Q(route=route) & in_scope
    return allowed


def cases_for(user) -> QuerySet[Concern]:
    """Every concern this user may open."""
    if not (user and user.is_authenticated):
        return Concern.objects.none()
    # Exists rather than a join, so no DISTINCT is needed and the inbox stays fast at tens of thousands.
    on_team = Exists(CaseTeamMember.objects.filter(concern=OuterRef("pk"), user=user))
    return Concern.objects.filter(_led_by(user) | Q(on_team)).exclude(_conflicted(user))


def can_open(user, concern: Concern) -> bool:
    return cases_for(user).filter(pk=concern.pk).exists()


def is_conflicted(user, concern: Concern) -> bool:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    if concern.withheld_from_id == person_id:
        return True
    subject = concern.subject_person
    return subject is not None and person_id in (subject.pk, subject.line_manager_id)
