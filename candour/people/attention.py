"""What the people app asks users to look at on their home page."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from candour.core.attention import AttentionItem, provider
from candour.core.models import AuditVerification
from candour.people.access import can, scope_of
from candour.people.models import Person, User
from candour.people.roles import Permission


@provider
def team_changes(user):
    """A line manager's reports who start or leave soon."""
    if not user.person_id:
        return
    today = timezone.localdate()
    reports = Person.objects.filter(line_manager_id=user.person_id)
    leaving = reports.filter(leave_date__gte=today, leave_date__lte=today + dt.timedelta(days=30)).count()
    starting = reports.filter(start_date__gt=today, start_date__lte=today + dt.timedelta(days=14)).count()
    if leaving:
        yield AttentionItem(
            "Team members leaving",
            f"{leaving} of your team leave{'s' if leaving == 1 else ''} in the next 30 days. Plan handovers.",
            reverse("people:list_people"),
            leaving,
        )
    if starting:
        yield AttentionItem(
            "New starters",
            f"{starting} new team member{'s' if starting != 1 else ''} start in the next 14 days.",
            reverse("people:list_people"),
            starting,
        )


@provider
def staff_without_line_manager(user):
    """Leaders see current staff in their scope with no line manager recorded."""
    if not can(user, Permission.MANAGE_PEOPLE):
        return
    scope = scope_of(user, Permission.MANAGE_PEOPLE)
    count = Person.objects.for_scope(scope).current().filter(line_manager__isnull=True).count()
    if count:
        yield AttentionItem(
            "Staff with no line manager",
            "Nobody is told about their training, welfare or concerns until a line manager is recorded.",
            reverse("people:list_people"),
            count,
        )


@provider
def audit_chain_health(user):
    """Administrators are told if the nightly audit check failed, or has not run."""
    if not can(user, Permission.VIEW_AUDIT_LOG):
        return
    latest = AuditVerification.objects.order_by("-ran_at").first()
    url = reverse("people:list_audit_events")
    if latest is None:
        yield AttentionItem(
            "Audit log not yet checked", "The nightly check of the audit chain has not run yet.", url
        )
    elif not latest.intact:
        yield AttentionItem(
            "Audit log integrity check failed",
            f"Event {latest.first_broken_sequence}: {latest.reason}. Investigate before anything else.",
            url,
            urgent=True,
        )


@provider
def locked_accounts(user):
    """Administrators see accounts paused by repeated failed sign-ins."""
    if not can(user, Permission.MANAGE_PEOPLE):
        return
    count = User.objects.filter(Q(locked_until__gt=timezone.now())).count()
    if count:
        yield AttentionItem(
            "Accounts paused after failed sign-ins",
            "Repeated failed sign-ins can mean a forgotten password, or someone guessing.",
            reverse("people:list_audit_events"),
            count,
        )
