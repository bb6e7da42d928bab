"""What speak-up asks users to look at on their home page."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from candour.core.attention import AttentionItem, provider
from candour.people.access import can
from candour.speakup.access import WORK_SAFEGUARDING, cases_for, works_cases
from candour.speakup.models import Concern, Entry, PatternFlag, Status, Task


@provider
def concerns_to_triage(user):
    """Leads see new concerns waiting for triage; overdue ones are urgent."""
    if not works_cases(user):
        return
    today = timezone.localdate()
    waiting = cases_for(user).filter(status=Status.NEW)
    overdue = waiting.filter(triage_due_on__lt=today).count()
    total = waiting.count()
    inbox = reverse("speakup:list_inbox")
    if overdue:
        yield AttentionItem(
            "Triage overdue",
            "Concerns have waited longer than the triage deadline. They have been escalated.",
            inbox,
            overdue,
            urgent=True,
        )
    if total - overdue:
        yield AttentionItem(
            "New concerns to triage", "Concerns waiting for you to triage.", inbox, total - overdue
        )


@provider
def my_overdue_tasks(user):
    """Case tasks past their due date for this user."""
    if not works_cases(user):
        return
    count = Task.objects.filter(owner=user, done_on__isnull=True, due_on__lt=timezone.localdate()).count()
    if count:
        yield AttentionItem(
            "Case tasks overdue",
            "Tasks on your cases are past their due date.",
            reverse("speakup:list_inbox"),
            count,
            urgent=True,
        )


@provider
def patterns_to_review(user):
    """Patterns of low-level concerns, for the safeguarding lead only."""
    if not can(user, WORK_SAFEGUARDING):
        return
    count = PatternFlag.objects.filter(reviewed_on__isnull=True).count()
    if count:
        yield AttentionItem(
            "Pattern of low-level concerns",
            "Several low-level concerns about the same person. Together they may cross the harm threshold.",
            reverse("speakup:list_patterns"),
            count,
            urgent=True,
        )


@provider
def replies_for_me(user):
    """Someone who raised a concern by name sees when the team has written to them since they last did."""
    mine = Concern.objects.filter(raised_by=user).filter(~Q(status=Status.CLOSED) | Q(speak_up_again=""))
    waiting = 0
    for concern in mine.only("id"):
        last = (
            concern.entries.filter(
                type__in=[Entry.Type.MESSAGE_TO_REPORTER, Entry.Type.MESSAGE_FROM_REPORTER]
            )
            .order_by("-sequence")
            .values_list("type", flat=True)
            .first()
        )
        waiting += last == Entry.Type.MESSAGE_TO_REPORTER
    if waiting:
        yield AttentionItem(
            "A reply about a concern you raised",
            "The team looking into your concern has written to you.",
            reverse("speakup:list_my_concerns"),
            waiting,
        )
