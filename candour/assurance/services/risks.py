"""Assurance services: the risk register. The only code that writes risks and their reviews; each change is
audited with the fields it changed.

Scores are checked here as well as in the forms (see `assurance.risk_scoring`): each 1 to 5, and neither the
current nor the target score above the inherent score.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.assurance.access import MANAGE_RISKS, may_review_risk
from candour.assurance.models import Risk
from candour.assurance.models.risks import RiskReview
from candour.assurance.risk_scoring import score_problems
from candour.core import audit
from candour.core.refusals import Refused
from candour.people.access import can
from candour.people.models import User

SCORE_FIELDS = tuple(
    f"{stage}_{axis}" for stage in ("inherent", "current", "target") for axis in ("likelihood", "consequence")
)
RISK_FIELDS = ("title", "description", "unit", "owner", "controls", "review_due_on", *SCORE_FIELDS)


def _value(value):
    if hasattr(value, "public_id"):
        return str(value.public_id)
    return value


def next_reference() -> str:
    """The next free reference: the prefix and one more than the highest number used with it."""
    prefix = settings.CANDOUR_RISK_REFERENCE_PREFIX
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    used = [
        int(match.group(1))
        for reference in Risk.objects.filter(reference__startswith=f"{prefix}-").values_list(
            "reference", flat=True
        )
        if (match := pattern.match(reference))
    ]
    return f"{prefix}-{max(used, default=0) + 1:03d}"


def _check(fields: dict) -> None:
    problems = score_problems({name: fields[name] for name in SCORE_FIELDS})
    if problems:
        raise Refused.from_problems(problems)


def _check_actions(by: User, actions) -> None:
    from candour.assurance.queries.plans import visible_actions

    visible = set(visible_actions(by).filter(pk__in=[a.pk for a in actions]).values_list("pk", flat=True))
    if any(action.pk not in visible for action in actions):
        raise Refused.from_problems(
            {"linked_actions": "Choose actions from the list: you can link only actions you see"}
        )


@transaction.atomic
def create_risk(
    *,
    by: User,
    title: str,
    description: str,
    unit,
    owner: User,
    controls: str,
    review_due_on: dt.date,
    inherent_likelihood: int,
    inherent_consequence: int,
    current_likelihood: int,
    current_consequence: int,
    target_likelihood: int,
    target_consequence: int,
    linked_actions=(),
    opened_on: dt.date | None = None,
) -> Risk:
    """Add a risk to the register, with the next reference."""
    if not can(by, MANAGE_RISKS, unit):
        raise PermissionDenied
    fields = {
        "title": title,
        "description": description,
        "unit": unit,
        "owner": owner,
        "controls": controls,
        "review_due_on": review_due_on,
        "inherent_likelihood": inherent_likelihood,
        "inherent_consequence": inherent_consequence,
        "current_likelihood": current_likelihood,
        "current_consequence": current_consequence,
        "target_likelihood": target_likelihood,
        "target_consequence": target_consequence,
    }
    _check(fields)
    linked_actions = list(linked_actions)
    _check_actions(by, linked_actions)
    # Locked while the next reference is chosen, so two people adding risks at once do not both take it.
    list(
        Risk.objects.select_for_update().filter(reference__startswith=settings.CANDOUR_RISK_REFERENCE_PREFIX)
    )
    risk = Risk.objects.create(
        reference=next_reference(), opened_on=opened_on or timezone.localdate(), **fields
    )
    risk.linked_actions.set(linked_actions)
    audit.record(
        action="added_risk",
        actor=by,
        target=risk,
        summary=f"{risk.reference} {title}",
        changes={
            name: _value(value) for name, value in fields.items() if name not in ("description", "controls")
        }
        | {"linked_actions": sorted(str(a.public_id) for a in linked_actions)},
    )
    return risk


@transaction.atomic
def update_risk(*, by: User, risk: Risk, linked_actions=None, **fields) -> Risk:
    """Change a risk's description, owner, controls, scores, review date or linked actions."""
    if not can(by, MANAGE_RISKS, risk):
        raise PermissionDenied
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"Not a risk field: {', '.join(sorted(unknown))}")
    if "unit" in fields and not can(by, MANAGE_RISKS, fields["unit"]):
        raise PermissionDenied
    merged = {name: getattr(risk, name) for name in RISK_FIELDS} | fields
    _check(merged)
    changed = {}
    for name, new in fields.items():
        old = getattr(risk, name)
        if old != new:
            changed[name] = "[changed]" if name in ("description", "controls") else [_value(old), _value(new)]
            setattr(risk, name, new)
    if linked_actions is not None:
        linked_actions = list(linked_actions)
        already = set(risk.linked_actions.values_list("pk", flat=True))
        _check_actions(by, [action for action in linked_actions if action.pk not in already])
        before = {str(a.public_id) for a in risk.linked_actions.all()}
        after = {str(a.public_id) for a in linked_actions}
        if before != after:
            risk.linked_actions.set(linked_actions)
            changed["linked_actions"] = [sorted(before), sorted(after)]
    if changed:
        risk.save()
        audit.record(
            action="changed_risk",
            actor=by,
            target=risk,
            summary=f"{risk.reference} {risk.title}",
            changes=changed,
        )
    return risk


@transaction.atomic
def review_risk(
    *,
    by: User,
    risk: Risk,
    current_likelihood: int,
    current_consequence: int,
    next_review_on: dt.date,
    note: str,
    reviewed_on: dt.date | None = None,
) -> RiskReview:
    """The owner (or a risk manager) reviews a risk: the current scores they found, when it is next due, and
    what they noted. The risk takes the new scores and review date."""
    if not may_review_risk(by, risk):
        raise PermissionDenied
    reviewed_on = reviewed_on or timezone.localdate()
    problems = score_problems(
        {
            "inherent_likelihood": risk.inherent_likelihood,
            "inherent_consequence": risk.inherent_consequence,
            "current_likelihood": current_likelihood,
            "current_consequence": current_consequence,
        }
    )
    if next_review_on <= reviewed_on:
        problems["next_review_on"] = "The next review date must be after the day of this review"
    if problems:
        raise Refused.from_problems(problems)
    before = (risk.current_likelihood, risk.current_consequence, risk.review_due_on)
    review = RiskReview.objects.create(
        risk=risk,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        current_likelihood=current_likelihood,
        current_consequence=current_consequence,
        next_review_on=next_review_on,
        note=note,
    )
    risk.current_likelihood, risk.current_consequence = current_likelihood, current_consequence
    risk.review_due_on, risk.last_reviewed_on = next_review_on, reviewed_on
    risk.save()
    audit.record(
        action="reviewed_risk",
        actor=by,
        target=risk,
        summary=f"{risk.reference} {risk.title}",
        changes={
            "current_likelihood": [before[0], current_likelihood],
            "current_consequence": [before[1], current_consequence],
            "review_due_on": [before[2], next_review_on],
            "reviewed_on": reviewed_on,
            "review": str(review.public_id),
            "note": note,
        },
    )
    return review
