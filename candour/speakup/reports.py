"""Read models for speak-up reports: the guardian's quarterly return and the themes by area and month.

Every figure is a count done in the database over the concerns in the viewer's scope. No count from 1 to
one below the small-number threshold is shown, and neither is any count that a shown total would let
someone work one of those out from (`core.suppression`): a hidden count reads the same either way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from candour.core.measures import Period
from candour.core.suppression import suppress, would_be_all_hidden
from candour.people.access import Scope
from candour.people.models import OrgUnit, ProfessionalGroup
from candour.speakup.models import Behaviour, Category, Concern, Identity, Kind, SpeakUpAgain

NOT_KNOWN = "Not known"
# How a hidden count reads, on pages and in downloads alike.
HIDDEN = "Hidden"


def shown(count: int, hidden: bool = False) -> str:
    """A count as a page shows it: the number with thousands separators, or that it is hidden."""
    return HIDDEN if hidden else f"{count:,}"


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
    hidden: bool = False

    @property
    def shown(self) -> str:
        return shown(self.count, self.hidden)

    @property
    def csv_value(self) -> str | int:
        return HIDDEN if self.hidden else self.count


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[CountRow]


@dataclass(frozen=True)
class GuardianReturn:
    quarter: Quarter
    sections: list[Section]

    def csv_rows(self) -> list[list[str | int]]:
        """The return as its download holds it, a row per count, hidden counts saying so."""
        rows: list[list[str | int]] = [["Quarter", "Section", "Item", "Count"]]
        rows += [
            [self.quarter.label, section.title, row.label, row.csv_value]
            for section in self.sections
            for row in section.rows
        ]
        return rows


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
        ("Concerns raised", counts["total"]),
        ("Raised anonymously", counts["anonymous"]),
        *((f"With an element of {Category(c).label.lower()}", counts[c]) for c in RETURN_THEMES),
    ]

    # Anonymous concerns never record a professional group, so they are "not known" here.
    by_group = dict(
        raised.values("reporter_professional_group")
        .annotate(n=Count("pk"))
        .values_list("reporter_professional_group", "n")
    )
    groups = [(label, by_group.get(value, 0)) for value, label in ProfessionalGroup.choices]
    groups.append(
        (NOT_KNOWN, sum(n for value, n in by_group.items() if value not in ProfessionalGroup.values))
    )

    fed_back = in_scope.filter(
        feedback_given_on__gte=quarter.period.start, feedback_given_on__lt=quarter.period.end
    ).order_by()
    by_answer = dict(
        fed_back.values("speak_up_again").annotate(n=Count("pk")).values_list("speak_up_again", "n")
    )
    answers = [(label, by_answer.get(value, 0)) for value, label in SpeakUpAgain.choices]
    answers.append(("Not answered", by_answer.get("", 0)))

    sections = [
        ("Concerns raised this quarter", themes),
        ("Professional group of the person who raised it", groups),
        ('Feedback given this quarter: "Given your experience, would you speak up again?"', answers),
    ]
    # The themes overlap (a concern counts under each of its categories) and the answers' total is not
    # shown, so the one sum a reader can check is the professional groups' against the concerns raised.
    values = {(title, label): count for title, rows in sections for label, count in rows}
    hidden = suppress(
        values, [((sections[0][0], "Concerns raised"), [(sections[1][0], label) for label, _ in groups])]
    )
    return GuardianReturn(
        quarter,
        [
            Section(title, [CountRow(label, count, (title, label) in hidden) for label, count in rows])
            for title, rows in sections
        ],
    )


@dataclass(frozen=True)
class ThemeColumn:
    label: str
    period: Period
    so_far: bool = False


@dataclass(frozen=True)
class ThemeRow:
    label: str
    counts: list[int]
    total: int
    # Positions in counts that are hidden; len(counts) stands for the total.
    hidden: frozenset[int] = frozenset()

    @property
    def cells(self) -> list[str]:
        """Each column's count as shown, then the total."""
        return [shown(count, index in self.hidden) for index, count in enumerate([*self.counts, self.total])]


@dataclass(frozen=True)
class ThemeTable:
    id: str
    caption: str
    first_header: str
    rows: list[ThemeRow]
    all_concerns: ThemeRow
    # What the "other" row holds, when rows that would have been all hidden were put together.
    other_label: str = ""
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Themes:
    months: list[Period]
    columns: list[ThemeColumn]
    tables: list[ThemeTable]

    @property
    def by_area(self) -> ThemeTable:
        return self.tables[0]

    @property
    def by_category(self) -> ThemeTable:
        return self.tables[1]


Line = tuple[str, list[int]]


def themes(scope: Scope, today: dt.date, months: int = 12) -> Themes:
    """Concerns received by area and by primary category over the last `months` months (this one so far
    included), counted in one grouped query. Rows that would be all hidden are put together as "other";
    when a month would still be all hidden, the months are put together in threes, or not shown at all."""
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
    area_lines = [(area.name, by_area.get(area.pk, [0] * months)) for area in areas.order_by("name")]
    if scope.trust_wide:
        area_lines.append(("No station given", by_area.get(None, [0] * months)))
    category_lines = [(label, by_category.get(value, [0] * months)) for value, label in Category.choices]
    category_lines.append(("Not yet triaged", by_category.get("", [0] * months)))

    for size in (1, 3, months):
        columns = _columns(periods, size, today)
        area_rows, area_others = _put_together(_in_columns(area_lines, size), "Other areas")
        category_rows, category_others = _put_together(_in_columns(category_lines, size), "Other categories")
        if not _a_column_all_hidden(area_rows) and not _a_column_all_hidden(category_rows):
            break
    area_table, category_table = _suppressed(
        len(columns), ("concerns-by-area", area_rows), ("concerns-by-category", category_rows)
    )
    return Themes(
        periods,
        columns,
        [
            ThemeTable(
                "concerns-by-area",
                "Concerns by area",
                "Area",
                *area_table,
                other_label="Other areas" if area_others else "",
                others=area_others,
            ),
            ThemeTable(
                "concerns-by-category",
                "Concerns by primary category",
                "Primary category",
                *category_table,
                other_label="Other categories" if category_others else "",
                others=category_others,
            ),
        ],
    )


def _columns(periods: list[Period], size: int, today: dt.date) -> list[ThemeColumn]:
    """Months put together `size` at a time, counting back from this one; none when all are together."""
    if size >= len(periods):
        return []
    groups = [periods[max(0, end - size) : end] for end in range(len(periods), 0, -size)][::-1]
    columns = []
    for group in groups:
        first, last = group[0].start, group[-1].start
        label = f"{first:%b %Y}" if size == 1 else f"{first:%b %Y} to {last:%b %Y}"
        columns.append(ThemeColumn(label, Period(first, group[-1].end), so_far=group[-1].end > today))
    return columns


def _in_columns(lines: list[Line], size: int) -> list[Line]:
    """Each line's monthly counts added up in the same groups as `_columns` (all together at the end)."""
    if size == 1:
        return lines
    return [
        (label, [sum(counts[max(0, end - size) : end]) for end in range(len(counts), 0, -size)][::-1])
        for label, counts in lines
    ]


def _put_together(lines: list[Line], other: str) -> tuple[list[Line], tuple[str, ...]]:
    """Two or more lines that would be all hidden become one line called `other`."""
    sparse = [line for line in lines if would_be_all_hidden(line[1])]
    if len(sparse) < 2:
        return lines, ()
    kept = [line for line in lines if line not in sparse]
    together = [sum(counts) for counts in zip(*(counts for _, counts in sparse), strict=True)]
    return [*kept, (other, together)], tuple(label for label, _ in sparse)


def _a_column_all_hidden(lines: list[Line]) -> bool:
    columns = zip(*(counts for _, counts in lines), strict=True)
    return any(would_be_all_hidden(column) for column in columns)


def _suppressed(width: int, *tables: tuple[str, list[Line]]) -> list[tuple[list[ThemeRow], ThemeRow]]:
    """Hide small counts, and whatever a row, a column, the month's count shared by both tables, or the
    grand total would give away, across both tables at once. With no columns, only the totals show."""
    values: dict = {}
    totals: list = []
    for name, lines in tables:
        for row, (_, counts) in enumerate(lines):
            values[(name, row)] = sum(counts)
            if width:
                values.update({(name, row, col): count for col, count in enumerate(counts)})
                totals.append(((name, row), [(name, row, col) for col in range(width)]))
        for col in range(width):
            totals.append((("all", col), [(name, row, col) for row in range(len(lines))]))
        totals.append((("all",), [(name, row) for row in range(len(lines))]))
    first_lines = tables[0][1]
    for col in range(width):
        values[("all", col)] = sum(counts[col] for _, counts in first_lines)
    values[("all",)] = sum(sum(counts) for _, counts in first_lines)
    if width:
        totals.append((("all",), [("all", col) for col in range(width)]))
    hidden = suppress(values, totals)

    def row(label: str, key: tuple) -> ThemeRow:
        positions = [*((*key, col) for col in range(width)), key]
        return ThemeRow(
            label,
            [values[position] for position in positions[:-1]],
            values[key],
            frozenset(index for index, position in enumerate(positions) if position in hidden),
        )

    all_concerns = row("All concerns", ("all",))
    return [
        ([row(label, (name, index)) for index, (label, _) in enumerate(lines)], all_concerns)
        for name, lines in tables
    ]
