"""Measures the people app publishes."""

from candour.core.measures import Direction, MeasureValue, Period, register
from candour.people.models import OrgUnit, Person


def stations_under(unit: OrgUnit) -> list[int]:
    """The ids of the stations at or below the unit, for measures of other apps that filter by them."""
    return list(OrgUnit.objects.stations_under(unit).values_list("pk", flat=True))


@register(
    key="people.headcount",
    title="Headcount",
    unit="people",
    direction=Direction.NEITHER,
    description="People employed on the last day of the period, at stations in the unit.",
)
def headcount(unit: OrgUnit, period: Period) -> MeasureValue:
    count = (
        Person.objects.employed_on(period.last_day)
        .filter(station__in=OrgUnit.objects.stations_under(unit))
        .count()
    )
    return MeasureValue(count, numerator=count)


@register(
    key="people.apprentice_share",
    title="Apprentices as a share of staff",
    unit="%",
    direction=Direction.NEITHER,
    description="Apprentices on the last day of the period, as a percentage of all staff in the unit.",
)
def apprentice_share(unit: OrgUnit, period: Period) -> MeasureValue:
    staff = Person.objects.employed_on(period.last_day).filter(
        station__in=OrgUnit.objects.stations_under(unit)
    )
    total = staff.count()
    apprentices = staff.filter(is_apprentice=True).count()
    return MeasureValue(100 * apprentices / total if total else None, apprentices, total)
