"""Speak-up reports: the guardian's quarterly return and the themes page, with small numbers suppressed."""

import csv
import datetime as dt
import io
import itertools
import re
from collections import defaultdict

import pytest
import time_machine
from django.urls import reverse

from candour.people.access import scope_of
from candour.people.models import ProfessionalGroup
from candour.people.roles import Role
from candour.speakup import reports, services
from candour.speakup.access import VIEW_REPORTS
from candour.speakup.models import Behaviour, Category, Concern, Identity, Kind, Route, SpeakUpAgain, Subject
from candour.speakup.reports import Quarter
from tests.support.factories import AreaFactory, StationFactory
from tests.support.html_tables import tables
from tests.support.small_numbers import given_away

RETURN = reverse("speakup:show_guardian_return")
THEMES = reverse("speakup:show_themes")
TODAY = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
IN_QUARTER = dt.date(2026, 8, 10)  # Q2 2026/27, the last complete quarter on TODAY
_references = itertools.count(1)


def _concern(by, station, *, received_on=IN_QUARTER, identity=Identity.OPEN, **fields):
    fields.setdefault("kind", Kind.WORKER_WELLBEING)
    return Concern.objects.create(
        reference=f"T-{next(_references)}",
        identity=identity,
        route=Route.GUARDIAN,
        raised_by=None if identity == Identity.ANONYMOUS else by,
        subject_type=Subject.PROCESS,
        station=station,
        narrative="A concern for a report test.",
        received_on=received_on,
        triage_due_on=received_on,
        **fields,
    )


def _counts(report) -> dict[str, int]:
    return {row.label: row.count for section in report.sections for row in section.rows}


def _trust_scope(trust):
    return scope_of(trust.lead, VIEW_REPORTS)


@pytest.mark.parametrize(
    ("count", "hidden", "shown"), [(0, False, "0"), (3, True, "Hidden"), (1234, False, "1,234")]
)
def test_a_count_reads_as_its_number_or_as_hidden(count, hidden, shown):
    assert reports.shown(count, hidden) == shown


@pytest.mark.parametrize(("concerns", "shown"), [(4, "Hidden"), (5, "5")])
def test_the_return_page_suppresses_a_total_of_four_but_not_five(trust, client_for, concerns, shown):
    for _ in range(concerns):
        _concern(trust.staff, trust.station)

    with time_machine.travel(TODAY, tick=False):
        page = client_for(trust.lead).get(RETURN)

    assert page.status_code == 200
    assert dict(_page_rows(page.text))["Concerns raised"] == shown


def test_return_counts_primary_and_secondary_categories_and_anonymous(trust):
    station, by = trust.station, trust.staff
    _concern(by, station, primary_category=Category.BULLYING_HARASSMENT, secondary_categories=["detriment"])
    _concern(by, station, primary_category=Category.PATIENT_SAFETY, secondary_categories=["inappropriate"])
    _concern(by, station, identity=Identity.ANONYMOUS, primary_category=Category.WORKER_SAFETY)
    # Untriaged: counted by what its kind suggests. Triaged: by its categories, whatever its kind.
    _concern(by, station, kind=Kind.EXPERIENCED, behaviour=Behaviour.BULLYING)
    _concern(
        by, station, kind=Kind.EXPERIENCED, behaviour=Behaviour.BULLYING, primary_category=Category.CONDUCT
    )
    _concern(by, station, received_on=dt.date(2026, 10, 1), primary_category=Category.DETRIMENT)

    counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    assert counts["Concerns raised"] == 5
    assert counts["Raised anonymously"] == 1
    assert counts["With an element of bullying or harassment"] == 2
    assert counts["With an element of detriment for speaking up"] == 1
    assert counts["With an element of inappropriate attitudes or behaviours"] == 1
    assert counts["With an element of patient safety or quality"] == 1
    assert counts["With an element of worker safety or wellbeing"] == 1


def test_return_counts_professional_groups_with_anonymous_as_not_known(trust):
    _concern(trust.staff, trust.station, reporter_professional_group="allied_health")
    _concern(trust.staff, trust.station, reporter_professional_group="students")
    _concern(trust.staff, trust.station, identity=Identity.ANONYMOUS)

    counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    assert counts["Allied health professionals (incl. paramedics)"] == 1
    assert counts["Students and apprentices"] == 1
    assert counts[reports.NOT_KNOWN] == 1
    assert counts["Medical and dental"] == 0


def test_return_counts_speak_up_again_answers_for_feedback_given_in_the_quarter(trust):
    for answer in [SpeakUpAgain.YES, SpeakUpAgain.YES, SpeakUpAgain.NO, ""]:
        _concern(trust.staff, trust.station, feedback_given_on=IN_QUARTER, speak_up_again=answer)
    _concern(trust.staff, trust.station, feedback_given_on=dt.date(2026, 10, 2), speak_up_again="yes")

    counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    assert (counts["Yes"], counts["No"], counts["Maybe"], counts["Not answered"]) == (2, 1, 0, 1)


def test_an_area_viewer_does_not_count_another_area_or_concerns_without_a_station(trust, make_user):
    other_area_station = StationFactory(parent=AreaFactory(parent=trust.trust))
    for station in [trust.station, other_area_station, None]:
        _concern(trust.staff, station)
    area_lead = make_user(Role.QUALITY_LEAD, trust.station.parent)

    area = _counts(reports.guardian_return(scope_of(area_lead, VIEW_REPORTS), Quarter(2026, 2)))
    whole = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    assert area["Concerns raised"] == 1
    assert whole["Concerns raised"] == 3


def _page_rows(html: str) -> list[tuple[str, str]]:
    cells = re.findall(r'<th[^>]*scope="row"[^>]*>\s*(.*?)\s*</th>\s*<td[^>]*>\s*(.*?)\s*</td>', html, re.S)
    return [(label.replace("&#39;", "'"), value.replace(",", "")) for label, value in cells]


def test_the_csv_download_matches_the_page(trust, client_for):
    for _ in range(7):
        _concern(trust.staff, trust.station, reporter_professional_group="allied_health")
    _concern(trust.staff, trust.station, identity=Identity.ANONYMOUS, primary_category=Category.DETRIMENT)
    client = client_for(trust.lead)

    with time_machine.travel(TODAY, tick=False):
        page = client.get(RETURN, {"quarter": "2026-27-q2"})
        download = client.get(RETURN, {"quarter": "2026-27-q2", "format": "csv"})

    assert download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"] == (
        'attachment; filename="freedom-to-speak-up-return-2026-27-q2.csv"'
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Quarter", "Section", "Item", "Count"]
    assert {row[0] for row in rows[1:]} == {"Q2 2026/27 (July to September 2026)"}
    assert [(row[2], row[3]) for row in rows[1:]] == _page_rows(page.text)
    assert ["Concerns raised", "8"] in [row[2:] for row in rows]
    assert ["Raised anonymously", "Hidden"] in [row[2:] for row in rows]


def test_the_return_defaults_to_the_last_complete_quarter_and_offers_earlier_ones(trust, client_for):
    client = client_for(trust.lead)

    with time_machine.travel(TODAY, tick=False):
        default = client.get(RETURN)
        chosen = client.get(RETURN, {"quarter": "2025-26-q4"})
        nonsense = client.get(RETURN, {"quarter": "2031-32-q9"})

    assert _shown_quarter(default.text) == _shown_quarter(nonsense.text) == Quarter(2026, 2).label
    assert _shown_quarter(chosen.text) == Quarter(2025, 4).label
    assert re.search(r'<option value="2025-26-q4" selected\s*>', chosen.text)
    assert default.text.count("<option") == 8


def _shown_quarter(html: str) -> str:
    return re.search(r'<span class="nhsuk-caption-l">(.*?)</span>', html)[1]


def test_financial_quarters_start_in_april():
    assert Quarter.containing(dt.date(2026, 4, 1)) == Quarter(2026, 1)
    assert Quarter.containing(dt.date(2026, 3, 31)) == Quarter(2025, 4)
    assert Quarter(2025, 4).period.start == dt.date(2026, 1, 1)
    assert Quarter(2025, 4).period.end == dt.date(2026, 4, 1)
    assert Quarter(2026, 3).label == "Q3 2026/27 (October to December 2026)"
    assert Quarter.parse(Quarter(2025, 4).slug) == Quarter(2025, 4)
    assert Quarter.parse("2025-27-q1") is None
    assert reports.recent_quarters(dt.date(2026, 7, 1), count=2) == [Quarter(2026, 1), Quarter(2025, 4)]


def test_an_untriaged_concern_counts_where_triage_would_start(trust):
    for kind in Kind:
        for behaviour in Behaviour if kind == Kind.EXPERIENCED else [""]:
            concern = _concern(trust.staff, trust.station, kind=kind, behaviour=behaviour)
            counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))
            counted = [c for c in reports.RETURN_THEMES if counts[f"With an element of {c.label.lower()}"]]
            suggested = services.suggested_category(concern)
            assert counted == ([suggested] if suggested in reports.RETURN_THEMES else []), (kind, behaviour)
            concern.delete()


def test_themes_count_by_area_and_primary_category_for_each_month(trust):
    other_area = AreaFactory(parent=trust.trust, name="Zeta Vale")
    for _ in range(5):
        _concern(
            trust.staff,
            trust.station,
            received_on=dt.date(2026, 10, 3),
            primary_category="bullying_harassment",
        )
    for _ in range(6):
        _concern(trust.staff, trust.station, received_on=dt.date(2026, 11, 2))
    _concern(trust.staff, StationFactory(parent=other_area), received_on=dt.date(2025, 11, 30))
    _concern(trust.staff, None, received_on=dt.date(2026, 11, 20))
    scope = _trust_scope(trust)

    report = reports.themes(scope, dt.date(2026, 11, 22))

    assert [m.label for m in (report.months[0], report.months[-1])] == ["December 2025", "November 2026"]
    assert [c.label for c in report.columns[-2:]] == ["Oct 2026", "Nov 2026"] and report.columns[-1].so_far
    rows = {row.label: row for row in report.by_area.rows}
    assert rows[trust.station.parent.name].counts[-2:] == [5, 6]
    assert rows[trust.station.parent.name].total == 11
    assert rows["Zeta Vale"].total == 0  # November 2025 is outside the twelve months
    assert rows["No station given"].cells[-1] == "Hidden"
    categories = {row.label: row for row in report.by_category.rows}
    assert categories["Bullying or harassment"].cells[-3] == "5"
    assert categories["Not yet triaged"].total == 7
    assert report.by_area.all_concerns.cells[-1] == report.by_category.all_concerns.cells[-1] == "12"


def test_themes_are_counted_in_one_grouped_query(trust, django_assert_num_queries):
    for day in range(1, 20):
        _concern(trust.staff, trust.station, received_on=dt.date(2026, 10, day))
    scope = _trust_scope(trust)

    with django_assert_num_queries(2):  # the grouped counts, and the areas' names
        reports.themes(scope, dt.date(2026, 11, 22))


def test_the_themes_page_shows_areas_in_scope_only(trust, client_for, make_user):
    other_area = AreaFactory(parent=trust.trust, name="Zeta Vale")
    StationFactory(parent=other_area)
    area_lead = make_user(Role.QUALITY_LEAD, trust.station.parent)

    whole = client_for(trust.lead).get(THEMES)
    area = client_for(area_lead).get(THEMES)

    assert whole.status_code == area.status_code == 200
    assert "Zeta Vale" in whole.text and "Zeta Vale" not in area.text
    assert "No station given" in whole.text and "No station given" not in area.text
    assert area.text.count("<caption") == 2 and 'scope="col"' in area.text and 'scope="row"' in area.text


@pytest.mark.parametrize("url", [RETURN, THEMES])
def test_staff_and_apprentices_may_not_see_reports(trust, client_for, url):
    assert client_for(trust.staff).get(url).status_code == 403
    assert client_for(trust.apprentice).get(url).status_code == 403


@pytest.mark.parametrize("url", [RETURN, THEMES])
def test_signed_out_visitors_are_sent_to_sign_in(db, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:sign_in"))


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.EXECUTIVE, Role.QUALITY_LEAD])
def test_leaders_with_the_report_permission_may_see_reports(trust, client_for, make_user, role):
    client = client_for(make_user(role, trust.trust))

    assert client.get(RETURN).status_code == 200
    assert client.get(THEMES).status_code == 200


# Small numbers that cannot be worked out


def _number(text: str) -> int | None:
    """A count as printed, or None where it is hidden."""
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _groups_read_from(shown: list[tuple[str, str]], counts: dict[str, int]) -> tuple[dict, list, set]:
    """What a reader of the return can reason with: the professional groups add up to the concerns raised."""
    labels = [label for _, label in ProfessionalGroup.choices] + [reports.NOT_KNOWN]
    texts = dict(shown)
    keys = ["Concerns raised", *labels]
    hidden = {key for key in keys if _number(texts[key]) is None}
    return {key: counts[key] for key in keys}, [("Concerns raised", labels)], hidden


def _raise_by_group(trust, groups: dict[str, int]) -> None:
    for group, count in groups.items():
        for _ in range(count):
            _concern(trust.staff, trust.station, reporter_professional_group=group)


def test_no_professional_group_on_the_return_page_can_be_worked_out_from_the_total(trust, client_for):
    # 59 of 60 in groups that are shown: the total less them gave the hidden group away as 1.
    _raise_by_group(trust, {"allied_health": 47, "admin_clerical": 12, "medical": 1})

    with time_machine.travel(TODAY, tick=False):
        page = client_for(trust.lead).get(RETURN).text
    counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    values, totals, hidden = _groups_read_from(_page_rows(page), counts)
    assert "Medical and dental" in hidden
    assert given_away(values, totals, hidden) == {}


def test_no_professional_group_in_the_return_spreadsheet_can_be_worked_out_from_the_total(trust, client_for):
    _raise_by_group(trust, {"allied_health": 20, "nursing": 2, "medical": 1, "students": 9})

    with time_machine.travel(TODAY, tick=False):
        download = client_for(trust.lead).get(RETURN, {"format": "csv"})
    counts = _counts(reports.guardian_return(_trust_scope(trust), Quarter(2026, 2)))

    rows = [(row[2], row[3]) for row in csv.reader(io.StringIO(download.content.decode()))][1:]
    values, totals, hidden = _groups_read_from(rows, counts)
    assert {"Registered nurses and midwives", "Medical and dental"} <= hidden
    assert given_away(values, totals, hidden) == {}


def _themes_as_read(html: str, truth: dict) -> tuple[dict, list, set, set]:
    """What a reader of the themes page can reason with. In each table every row adds up to its last column,
    and every column to the concerns received that month: printed in an "All concerns" row where the table
    has one, and otherwise still known to be the same for both tables, which break the same concerns down."""
    values, totals, hidden, unshown = {}, [], set(), set()
    printed_months = set()
    for table_id in ("concerns-by-area", "concerns-by-category"):
        header, *rows = tables(html)[table_id]
        columns = [label.replace(" (so far)", "") for label in header[1:]]
        by_row = {}
        for label, *cells in rows:
            if label == "All concerns":
                printed_months = set(columns)
                for column, text in zip(columns, cells, strict=True):
                    values[("month", column)] = truth[("all", column)]
                    if _number(text) is None:
                        hidden.add(("month", column))
                continue
            by_row[label] = cells
            for column, text in zip(columns, cells, strict=True):
                key = (table_id, label, column)
                values[key] = truth[(label, column)]
                if _number(text) is None:
                    hidden.add(key)
        for label in by_row:
            totals.append(((table_id, label, columns[-1]), [(table_id, label, c) for c in columns[:-1]]))
        for column in columns:
            totals.append((("month", column), [(table_id, label, column) for label in by_row]))
    for column in columns:
        values.setdefault(("month", column), truth[("all", column)])
        if column not in printed_months:
            unshown.add(("month", column))
    totals.append((("month", columns[-1]), [("month", c) for c in columns[:-1]]))
    return values, totals, hidden, unshown


def test_no_count_on_the_themes_page_can_be_worked_out_from_totals_or_the_other_table(trust, client_for):
    south = StationFactory(parent=AreaFactory(parent=trust.trust, name="Southdown"))
    north = trust.station.parent.name
    made = [
        (trust.station, north, Category.PATIENT_SAFETY, dt.date(2026, 9, 3), 6),
        (south, "Southdown", Category.BULLYING_HARASSMENT, dt.date(2026, 9, 4), 1),
        (trust.station, north, Category.BULLYING_HARASSMENT, dt.date(2026, 10, 5), 2),
        (south, "Southdown", Category.PATIENT_SAFETY, dt.date(2026, 10, 6), 7),
        (trust.station, north, Category.PATIENT_SAFETY, dt.date(2026, 11, 7), 5),
    ]
    truth: dict = {}
    for station, area, category, day, count in made:
        for _ in range(count):
            _concern(trust.staff, station, received_on=day, primary_category=category)
        month = day.strftime("%b %Y")
        for key in [(area, month), (area, "12 months"), (Category(category).label, month)]:
            truth[key] = truth.get(key, 0) + count
        truth[(Category(category).label, "12 months")] = truth.get((Category(category).label, "12 months"), 0)
        truth[(Category(category).label, "12 months")] += count
        truth[("all", month)] = truth.get(("all", month), 0) + count
        truth[("all", "12 months")] = truth.get(("all", "12 months"), 0) + count

    with time_machine.travel(TODAY, tick=False):
        page = client_for(trust.lead).get(THEMES).text

    values, totals, hidden, unshown = _themes_as_read(page, defaultdict(int, truth))
    assert ("concerns-by-area", "Southdown", "Sep 2026") in hidden
    assert given_away(values, totals, hidden, unshown=unshown) == {}


def _concerns_in(trust, count: int, day: dt.date, category: str) -> None:
    for _ in range(count):
        _concern(trust.staff, trust.station, received_on=day, primary_category=category)


def test_themes_put_categories_that_would_be_all_hidden_together_as_other(trust):
    for month in range(6, 12):
        _concerns_in(trust, 6, dt.date(2026, month, 2), "prevent")
    for category, month, count in [("detriment", 7, 1), ("sexual_safety", 8, 2), ("discrimination", 9, 1)]:
        _concerns_in(trust, count, dt.date(2026, month, 3), category)

    table = reports.themes(_trust_scope(trust), dt.date(2026, 11, 22)).by_category

    labels = [row.label for row in table.rows]
    assert "Other categories" in labels and "Detriment for speaking up" not in labels
    assert "Prevent (radicalisation)" in labels
    assert table.others == ("Detriment for speaking up", "Sexual safety", "Discrimination")
    assert {row.label: row.total for row in table.rows}["Other categories"] == 4


def test_themes_put_months_together_when_each_month_would_be_all_hidden(trust):
    for month in (9, 10, 11):
        _concerns_in(trust, 2, dt.date(2026, month, 4), "prevent")

    report = reports.themes(_trust_scope(trust), dt.date(2026, 11, 22))

    assert [column.label for column in report.columns] == [
        "Dec 2025 to Feb 2026",
        "Mar 2026 to May 2026",
        "Jun 2026 to Aug 2026",
        "Sep 2026 to Nov 2026",
    ]
    assert {row.label: row.cells for row in report.by_category.rows}["Prevent (radicalisation)"] == [
        "0",
        "0",
        "0",
        "6",
        "6",
    ]


def test_themes_show_only_the_twelve_months_when_even_three_months_together_would_be_all_hidden(trust):
    for month in (1, 5, 9):
        _concern(trust.staff, trust.station, received_on=dt.date(2026, month, 4), primary_category="prevent")

    report = reports.themes(_trust_scope(trust), dt.date(2026, 11, 22))

    assert report.columns == []
    assert report.by_area.all_concerns.cells == ["Hidden"]


def test_no_count_can_be_worked_out_when_categories_are_put_together_as_other(trust, client_for):
    # Three categories that would each be all hidden are shown as one "Other categories" row.
    north = trust.station.parent.name
    made = [("prevent", month, 2, 6) for month in range(6, 12)]
    made += [("detriment", 7, 3, 1), ("sexual_safety", 8, 3, 2), ("discrimination", 9, 3, 1)]
    truth: dict = defaultdict(int)
    for category, month, day, count in made:
        _concerns_in(trust, count, dt.date(2026, month, day), category)
        label = "Prevent (radicalisation)" if category == "prevent" else "Other categories"
        column = dt.date(2026, month, 1).strftime("%b %Y")
        for row in (label, north, "all"):
            truth[(row, column)] += count
            truth[(row, "12 months")] += count

    with time_machine.travel(TODAY, tick=False):
        page = client_for(trust.lead).get(THEMES).text

    assert "Other categories" in page and "Sexual safety" not in _page_labels(page, "concerns-by-category")
    values, totals, hidden, unshown = _themes_as_read(page, truth)
    assert ("concerns-by-category", "Other categories", "Jul 2026") in hidden
    assert given_away(values, totals, hidden, unshown=unshown) == {}


def _page_labels(page: str, table_id: str) -> list[str]:
    return [row[0] for row in tables(page)[table_id][1:]]
