"""Read models for speak-up reports: the guardian's quarterly return and the themes by area and month.

Every figure is a count done in the database over the concerns in the viewer's scope. A count from 1 to
one below the small-number threshold is never shown as a number (DESIGN.md: small-number suppression).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from candour.core.measures import Period
from candour.people.access import Scope
from candour.people.models import OrgUnit, ProfessionalGroup
from candour.speakup.models import Behaviour, Category, Concern, Identity, Kind, SpeakUpAgain

NOT_KNOWN = "Not known"


def is_suppressed(count: int) -> bool:
    return 0 < count < settings.CANDOUR_SMALL_NUMBER_THRESHOLD


def suppressed_text() -> str:
    return f"fewer than {settings.CANDOUR_SMALL_NUMBER_THRESHOLD}"


def shown(count: int) -> str:
    """A count as a page shows it: 0, "fewer than 5", or the number with thousands separators."""
    return suppressed_text() if is_suppressed(count) else f"{count:,}"


def concerns_in_scope(scope: Scope) -> QuerySet[Concern]:
    """Concerns at stations in scope; those naming no station belong to trust-wide viewers only."""
    where = Q(station_id__in=scope.station_ids)
    if scope.trust_wide:
        where |= Q(station__isnull=True)
    return Concern.objects.filter(where)


def received_in(concerns: QuerySet[Concern], period: Period) -> QuerySet[Concern]:
    return concerns.filter(received_on__gte=period.start, received_on__lt=period.end)


@dataclass(frozen=True)
class Quarter:
    """A quarter of the NHS financial year: `year` is the year it starts in (2025 for 2025/26), Q1 is April
    to June."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        months_into_year = (day.month - 4) % 12
        return cls(day.year if day.month >= 4 else day.year - 1, months_into_year // 3 + 1)

    @classmethod
    def parse(cls, slug: str) -> Quarter | None:
        """Read a slug like 2025-26-q1; anything else is None."""
        match = re.fullmatch(r"(\d{4})-(\d{2})-q([1-4])", slug or "")
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            return None
        return cls(int(match[1]), int(match[3]))

    @property
    def slug(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-q{self.number}"

    @property
    def period(self) -> Period:
        first_month = 3 * self.number + 1  # April, July, October, then 13: January of the next year
        return Period(_first_of(self.year, first_month), _first_of(self.year, first_month + 3))

    @property
    def label(self) -> str:
        period = self.period
        return (
            f"Q{self.number} {self.year}/{(self.year + 1) % 100:02d} "
            f"({period.start:%B} to {period.last_day:%B %Y})"
        )

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)


def _first_of(year: int, month: int) -> dt.date:
    """The first day of a month counted on from January of `year` (13 is January of the next year)."""
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def recent_quarters(today: dt.date, count: int = 8) -> list[Quarter]:
    """The last complete quarter first, then the ones before it."""
    quarters = [Quarter.containing(today).previous()]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


# The National Guardian's Office themes, in the order of its return (STANDARDS.md §8).
RETURN_THEMES = [
    Category.PATIENT_SAFETY,
    Category.WORKER_SAFETY,
    Category.BULLYING_HARASSMENT,
    Category.INAPPROPRIATE,
    Category.DETRIMENT,
]
# An untriaged concern counts under the category triage would start from (services.suggested_category).
UNTRIAGED_AS = {
    Category.PATIENT_SAFETY: Q(kind=Kind.PATIENT_SAFETY),
    Category.WORKER_SAFETY: Q(kind=Kind.WORKER_WELLBEING),
    Category.BULLYING_HARASSMENT: Q(
        kind=Kind.EXPERIENCED, behaviour__in=[Behaviour.HARASSMENT, Behaviour.BULLYING]
    ),
    Category.INAPPROPRIATE: Q(kind=Kind.EXPERIENCED, behaviour=Behaviour.INAPPROPRIATE),
}


def with_category(category: str) -> Q:
    """Concerns with this category as primary or secondary, or, untriaged, whose kind suggests it."""
    # JSON containment is not available on SQLite; the quoted value matches exactly one list element.
    triaged = Q(primary_category=category) | Q(secondary_categories__icontains=f'"{category}"')
    return triaged | (Q(primary_category="") & UNTRIAGED_AS.get(category, Q(pk__in=[])))


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int

    @property
    def shown(self) -> str:
        return shown(self.count)

    @property
    def csv_value(self) -> str | int:
        return suppressed_text() if is_suppressed(self.count) else self.count


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[CountRow]


@dataclass(frozen=True)
class GuardianReturn:
    quarter: Quarter
    sections: list[Section]


def guardian_return(scope: Scope, quarter: Quarter) -> GuardianReturn:
    """The freedom to speak up quarterly return for the concerns in scope."""
    in_scope = concerns_in_scope(scope)
    raised = received_in(in_scope, quarter.period).order_by()
    counts = raised.aggregate(
        total=Count("pk"),
        anonymous=Count("pk", filter=Q(identity=Identity.ANONYMOUS)),
        **{category: Count("pk", filter=with_category(category)) for category in RETURN_THEMES},
    )
    themes = [
        CountRow("Concerns raised", counts["total"]),
        CountRow("Raised anonymously", counts["anonymous"]),
        *(CountRow(f"With an element of {Category(c).label.lower()}", counts[c]) for c in RETURN_THEMES),
    ]

    # Anonymous concerns never record a professional group, so they are "not known" here.
    by_group = dict(
        raised.values("reporter_professional_group")
        .annotate(n=Count("pk"))
        .values_list("reporter_professional_group", "n")
    )
    groups = [CountRow(label, by_group.get(value, 0)) for value, label in ProfessionalGroup.choices]
    groups.append(
        CountRow(NOT_KNOWN, sum(n for value, n in by_group.items() if value not in ProfessionalGroup.values))
    )

    fed_back = in_scope.filter(
        feedback_given_on__gte=quarter.period.start, feedback_given_on__lt=quarter.period.end
    ).order_by()
    by_answer = dict(
        fed_back.values("speak_up_again").annotate(n=Count("pk")).values_list("speak_up_again", "n")
    )
    answers = [CountRow(label, by_answer.get(value, 0)) for value, label in SpeakUpAgain.choices]
    answers.append(CountRow("Not answered", by_answer.get("", 0)))

    return GuardianReturn(
        quarter,
        [
            Section("Concerns raised this quarter", themes),
            Section("Professional group of the person who raised it", groups),
            Section(
                'Feedback given this quarter: "Given your experience, would you speak up again?"', answers
            ),
        ],
    )


@dataclass(frozen=True)
class ThemeRow:
    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def cells(self) -> list[str]:
        return [shown(count) for count in [*self.counts, self.total]]


@dataclass(frozen=True)
class Themes:
    months: list[Period]
    by_area: list[ThemeRow]
    by_category: list[ThemeRow]


def themes(scope: Scope, today: dt.date, months: int = 12) -> Themes:
    """Concerns received by area and by primary category, for each of the last `months` months (this one
    so far included), counted in one grouped query."""
    periods = Period.month(today.year, today.month).previous_months(months)
    column = {period.start: index for index, period in enumerate(periods)}
    window = Period(periods[0].start, periods[-1].end)
    grouped = (
        received_in(concerns_in_scope(scope), window)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values_list("station__parent_id", "primary_category", "month")
        .annotate(n=Count("pk"))
    )
    by_area: dict[int | None, list[int]] = {}
    by_category: dict[str, list[int]] = {}
    for area_id, category, month, n in grouped:
        by_area.setdefault(area_id, [0] * months)[column[month]] += n
        by_category.setdefault(category, [0] * months)[column[month]] += n

    areas = OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA, children__in=scope.station_ids).distinct()
    area_rows = [ThemeRow(area.name, by_area.get(area.pk, [0] * months)) for area in areas.order_by("name")]
    if scope.trust_wide:
        area_rows.append(ThemeRow("No station given", by_area.get(None, [0] * months)))
    category_rows = [
        ThemeRow(label, by_category.get(value, [0] * months)) for value, label in Category.choices
    ]
    category_rows.append(ThemeRow("Not yet triaged", by_category.get("", [0] * months)))
    return Themes(periods, area_rows, category_rows)
