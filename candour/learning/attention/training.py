"""Learning attention: training a person must do, and staff whose safeguarding training has expired."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from candour.core.attention import AttentionItem, provider
from candour.learning.access import VIEW_COMPLIANCE, VIEW_OWN_TRAINING
from candour.learning.compliance import Status
from candour.learning.models import SubjectGroup
from candour.learning.queries import training as queries
from candour.people.access import can, has_role, scope_of
from candour.people.roles import Role

# Named subjects read better than a count, up to a point.
MOST_NAMED = 3
# Who is told about their staff's safeguarding training: the people who act on it.
LEADS = (Role.LINE_MANAGER, Role.SAFEGUARDING_LEAD, Role.EDUCATION_LEAD, Role.OPERATIONS_MANAGER)


def _named(subjects) -> str:
    names = [subject.name for subject in subjects]
    if len(names) > MOST_NAMED:
        return f"{len(names)} subjects"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


@provider
def my_training_due(user):
    """The person's own training: expired or never done is urgent; due soon is a reminder."""
    if not can(user, VIEW_OWN_TRAINING):
        return
    found = queries.my_items(user.person, timezone.localdate())
    mine = reverse("learning:show_my_training")
    expired = found.get(Status.EXPIRED, []) + found.get(Status.NEVER, [])
    if expired:
        verb = "has" if len(expired) == 1 else "have"
        yield AttentionItem(
            "Training expired",
            f"{_named(expired)} {verb} expired or not been done. Your role needs it: book it now.",
            f"{mine}?{urlencode({'show': queries.MyShow.EXPIRED})}",
            len(expired),
            urgent=True,
        )
    due = found.get(Status.DUE_SOON, [])
    if due:
        yield AttentionItem(
            "Training due soon",
            f"{_named(due)} {'is' if len(due) == 1 else 'are'} due within "
            f"{queries.due_soon_days()} days. Book it before it runs out.",
            f"{mine}?{urlencode({'show': queries.MyShow.DUE_SOON})}",
            len(due),
        )


@provider
def staff_with_expired_safeguarding(user):
    """Line managers and leads: how many of their staff hold expired safeguarding children training."""
    if not has_role(user, *LEADS) or not can(user, VIEW_COMPLIANCE):
        return
    scope = scope_of(user, VIEW_COMPLIANCE)
    count = queries.people_with_expired(scope, SubjectGroup.SAFEGUARDING_CHILDREN)
    if count:
        query = urlencode({"group": SubjectGroup.SAFEGUARDING_CHILDREN, "status": Status.EXPIRED})
        yield AttentionItem(
            "Staff in your area with expired safeguarding training",
            "Staff whose safeguarding children training has run out. See who, and by how long.",
            f"{reverse('learning:list_compliance_people')}?{query}",
            count,
            urgent=True,
        )
