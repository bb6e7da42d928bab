"""Learning measures: training compliance, by subject, safeguarding children by level, and information
governance (which the Data Security and Protection Toolkit expects of at least 95% of staff).

One measure per subject: safeguarding children at each level and information governance are published under
their own names (bound in the framework, plans and the board report), so the per-subject list leaves those
subjects out rather than publishing the same figure twice (docs/adr/0027).

Method. Compliance items hold today's state only, so a period is measured from the training records
themselves, as they stood on the period's last day (or today, for a period not yet over):

- Denominator: people employed that day at stations in the unit whose job role requires the subject. Job
  roles are not kept as history, so people are counted under the role they hold now.
- Numerator: those of them compliant that day by the rules in `learning.compliance`: a completion counts from
  the day it was done up to its anniversary, so the records that count are those completed between
  `window_start(day)` and the day; for a subject with hours, their hours in that window reach the requirement.
  People due soon are still compliant.

Each value is three queries: the subject, the unit's stations, and one count.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.learning.compliance import window_start
from candour.learning.models import Subject, TrainingRecord
from candour.learning.reference import SUBJECTS
from candour.learning.services.training import rule_of
from candour.people.measures import stations_under
from candour.people.models import OrgUnit, Person

METHOD = (
    "People employed on the last day of the period at stations in the unit whose job role needs it, and of "
    "them the share compliant that day from their training records (due soon counts as compliant)."
)


def compliance_on(code: str, unit: OrgUnit, day: dt.date) -> MeasureValue:
    """The share of people required to hold a subject who held it on a day, as a percentage."""
    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        return MeasureValue(None)
    rule = rule_of(subject)
    people = Person.objects.employed_on(day).filter(
        station_id__in=stations_under(unit), job_role__training_requirements__subject=subject
    )
    counting = TrainingRecord.objects.filter(
        person=OuterRef("pk"), subject=subject, completed_on__range=(window_start(day, rule), day)
    )
    if rule.required_hours is None:
        compliant = Q(Exists(counting))
    else:
        hours = counting.values("person").annotate(total=Sum("hours")).values("total")
        people = people.annotate(hours_held=Subquery(hours))
        compliant = Q(hours_held__gte=rule.required_hours)
    counts = people.aggregate(required=Count("pk"), compliant=Count("pk", filter=compliant))
    required, held = counts["required"], counts["compliant"]
    return MeasureValue(100 * held / required if required else None, held, required)


def _day_of(period: Period) -> dt.date:
    return min(period.last_day, timezone.localdate())


def _register_subject(code: str, name: str) -> None:
    @register(
        key=f"learning.compliance.{code}",
        title=f"Training compliance: {name}",
        unit="%",
        direction=Direction.HIGHER_IS_BETTER,
        description=f"{name}. {METHOD}",
    )
    def compute(unit: OrgUnit, period: Period) -> MeasureValue:
        return compliance_on(code, unit, _day_of(period))


def _register_children_level(level: int) -> None:
    @register(
        key=f"learning.safeguarding_children_l{level}_compliance",
        title=f"Safeguarding children training compliance at level {level}",
        unit="%",
        direction=Direction.HIGHER_IS_BETTER,
        description=f"Safeguarding children level {level} (intercollegiate framework). {METHOD}",
    )
    def compute(unit: OrgUnit, period: Period) -> MeasureValue:
        return compliance_on(f"sg-children-{level}", unit, _day_of(period))


# Subjects with a measure of their own name, and that measure's key.
NAMED_MEASURES = {
    **{
        f"sg-children-{level}": f"learning.safeguarding_children_l{level}_compliance" for level in range(1, 6)
    },
    "cstf-information-governance": "learning.information_governance_compliance",
}


for _code, _name, *_ in SUBJECTS:
    if _code not in NAMED_MEASURES:
        _register_subject(_code, _name)
for _level in range(1, 6):
    _register_children_level(_level)


@register(
    key="learning.information_governance_compliance",
    title="Information governance and data security training compliance",
    unit="%",
    direction=Direction.HIGHER_IS_BETTER,
    description=(
        "Staff trained in information governance and data security in the last year. The Data Security and "
        f"Protection Toolkit expects at least 95% (the target is set where the measure is used). {METHOD}"
    ),
)
def information_governance_compliance(unit: OrgUnit, period: Period) -> MeasureValue:
    return compliance_on("cstf-information-governance", unit, _day_of(period))
