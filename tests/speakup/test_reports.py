"""Speak-up reports: the guardian's quarterly return and the themes page, with small numbers suppressed."""

import csv
import datetime as dt
import io
import itertools
import re

import pytest
import time_machine
from django.urls import reverse

from candour.people.access import scope_of
from candour.people.roles import Role
from candour.speakup import reports, services
from candour.speakup.access import VIEW_REPORTS
from candour.speakup.models import Behaviour, Category, Concern, Identity, Kind, Route, SpeakUpAgain, Subject
from candour.speakup.reports import Quarter
from tests.support.factories import AreaFactory, StationFactory

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
    ("count", "shown"),
    [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (1234, "1,234")],
)
def test_counts_from_one_to_four_are_shown_as_fewer_than_five(count, shown):
    assert reports.shown(count) == shown


@pytest.mark.parametrize(("concerns", "shown"), [(4, "fewer than 5"), (5, "5")])
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
    assert ["Raised anonymously", "fewer than 5"] in [row[2:] for row in rows]


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
    _concern(trust.staff, trust.station, received_on=dt.date(2026, 11, 2))
    _concern(trust.staff, StationFactory(parent=other_area), received_on=dt.date(2025, 11, 30))
    _concern(trust.staff, None, received_on=dt.date(2026, 11, 20))
    scope = _trust_scope(trust)

    report = reports.themes(scope, dt.date(2026, 11, 22))

    assert [m.label for m in (report.months[0], report.months[-1])] == ["December 2025", "November 2026"]
    rows = {row.label: row.cells for row in report.by_area}
    assert rows[trust.station.parent.name][-3:] == ["5", "fewer than 5", "6"]
    assert rows["Zeta Vale"] == ["0"] * 13  # November 2025 is outside the twelve months
    assert rows["No station given"][-1] == "fewer than 5"
    categories = {row.label: row.cells for row in report.by_category}
    assert categories["Bullying or harassment"][-3] == "5"
    assert categories["Not yet triaged"][-1] == "fewer than 5"


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
