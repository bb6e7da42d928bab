"""What the people app asks users to look at on their home page."""

from django.urls import reverse
from django.utils.http import urlencode

from candour.core.attention import AttentionItem, provider
from candour.core.audit_heads import HeadsFileAltered, latest_head
from candour.core.formatting import local_datetime, number
from candour.core.models import AuditVerification, OutboxMessage
from candour.people import queries
from candour.people.access import can, scope_of
from candour.people.roles import Permission


def _directory_count(user, show: queries.Show) -> int:
    """What the directory lists for this show, counted the same way, so a card's number is its list's."""
    return queries.directory(scope_of(user, Permission.VIEW_PEOPLE), show=show, viewer=user).count()


def _directory_url(show: queries.Show) -> str:
    return f"{reverse('people:list_people')}?{urlencode({'show': show.value})}"


@provider
def team_changes(user):
    """A line manager's reports who start or leave soon."""
    if not user.person_id or not can(user, Permission.VIEW_PEOPLE):
        return
    leaving = _directory_count(user, queries.Show.TEAM_LEAVING)
    starting = _directory_count(user, queries.Show.TEAM_STARTING)
    if leaving:
        yield AttentionItem(
            "Team members leaving",
            f"{leaving} of your team leave{'s' if leaving == 1 else ''} in the next "
            f"{queries.LEAVING_SOON_DAYS} days. Plan handovers.",
            _directory_url(queries.Show.TEAM_LEAVING),
            leaving,
        )
    if starting:
        yield AttentionItem(
            "New starters",
            f"{starting} new team member{'s' if starting != 1 else ''} start in the next "
            f"{queries.STARTING_SOON_DAYS} days.",
            _directory_url(queries.Show.TEAM_STARTING),
            starting,
        )


@provider
def staff_without_line_manager(user):
    """Leaders see current staff in their scope with no line manager recorded."""
    if not can(user, Permission.MANAGE_PEOPLE) or not can(user, Permission.VIEW_PEOPLE):
        return
    count = _directory_count(user, queries.Show.NO_LINE_MANAGER)
    if count:
        yield AttentionItem(
            "Staff with no line manager",
            "Nobody is told about their training, welfare or concerns until a line manager is recorded.",
            _directory_url(queries.Show.NO_LINE_MANAGER),
            count,
        )


@provider
def audit_chain_health(user):
    """Administrators are told if the nightly audit check failed, or has not run; otherwise they see the
    chain's head as last recorded outside the database, one of the places it is kept (docs/adr/0021)."""
    if not can(user, Permission.VIEW_AUDIT_LOG):
        return
    latest = AuditVerification.objects.order_by("-ran_at").first()
    url = reverse("people:list_audit_events")
    if latest is None:
        yield AttentionItem(
            "Audit log not yet checked", "The nightly check of the audit chain has not run yet.", url
        )
    elif not latest.intact:
        where = f"Event {latest.first_broken_sequence}: " if latest.first_broken_sequence else ""
        yield AttentionItem(
            "Audit log integrity check failed",
            f"{where}{latest.reason}. Investigate before anything else.",
            url,
            urgent=True,
        )
    else:
        yield from _recorded_head(url)


def _recorded_head(url: str):
    try:
        head = latest_head()
    except HeadsFileAltered as altered:
        yield AttentionItem(
            "Audit log's recorded heads altered",
            f"{altered}. Investigate before anything else.",
            url,
            urgent=True,
        )
        return
    if head:
        yield AttentionItem(
            f"Audit log sealed up to event {number(head.sequence)}",
            f"Recorded outside the database {local_datetime(head.recorded_at)}, with the seal "
            f"{head.hash[:16]}. Each night's check holds the log to every head recorded so far.",
            url,
            link_text="See the audit log",
        )


@provider
def failed_emails(user):
    """Administrators see emails the mail server would not take after every retry: someone was not told."""
    if not can(user, Permission.MANAGE_EMAIL):
        return
    count = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
    if count:
        yield AttentionItem(
            "Emails that could not be sent",
            "The mail server would not take them, even after retrying. See why, and send them again.",
            reverse("people:list_failed_emails"),
            count,
            urgent=True,
        )


@provider
def locked_accounts(user):
    """Administrators see accounts paused by repeated failed sign-ins."""
    if not can(user, Permission.MANAGE_SIGN_IN) or not can(user, Permission.VIEW_PEOPLE):
        return
    count = _directory_count(user, queries.Show.SIGN_IN_PAUSED)
    if count:
        yield AttentionItem(
            "Accounts paused after failed sign-ins",
            "Repeated failed sign-ins can mean a forgotten password, or someone guessing.",
            _directory_url(queries.Show.SIGN_IN_PAUSED),
            count,
        )
