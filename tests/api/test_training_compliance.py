"""Training compliance through the API: the education lead's figures over the key's units, in the download's
columns, with every count too small to give (and whatever would give it back) hidden, since a key cannot see
the names behind a count as the lead can."""

import csv
import datetime as dt
import io
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from candour.api.scopes import KeyScope
from candour.core.models import AuditEvent
from candour.core.months import add_months
from candour.learning.models import Requirement, Subject, TrainingRecord
from candour.learning.services import training
from candour.people.models import JobRole, ProfessionalGroup
from candour.people.roles import Role
from tests.api.support import integration, issued_key
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user

COMPLIANCE = "/api/v1/exports/training-compliance"
_names = itertools.count(1)


@pytest.fixture
def paramedic(db):
    role = JobRole.objects.create(
        code="paramedic",
        name="Paramedic",
        professional_group=ProfessionalGroup.ALLIED_HEALTH,
        is_clinical=True,
    )
    Requirement.objects.create(job_role=role, subject=Subject.objects.get(code="cstf-fire"))
    return role


def _station_of_twenty(paramedic, area=None, expired=0, never=0):
    """Twenty paramedics needing fire safety: all done a hundred days ago, but for those whose training ran
    out ten days ago and those who never did it."""
    station = StationFactory(**({"parent": area} if area else {}))
    today = dt.date.today()
    people = [PersonFactory(station=station, job_role=paramedic) for _ in range(20)]
    fire = Subject.objects.get(code="cstf-fire")
    for n, person in enumerate(people[: 20 - never]):
        done = (
            add_months(today, -24) - dt.timedelta(days=10) if n < expired else today - dt.timedelta(days=100)
        )
        TrainingRecord.objects.create(person=person, subject=fire, completed_on=done)
    training.refresh_compliance([person.pk for person in people])
    return station


def _key(station, units=None, scopes=(KeyScope.READ_TRAINING_COMPLIANCE,)):
    reporting = integration(station.trust, name=f"Board reporting {next(_names)}")
    text, _ = issued_key(reporting, scopes=list(scopes), units=units or [station.trust])
    return text


def _get(text, query=None, **headers):
    return Client().get(COMPLIANCE, query or {}, headers={"Authorization": f"Bearer {text}", **headers})


def _cells(body) -> dict:
    return {
        (row["label"], cell["subject"]): cell
        for row in [*body["rows"], body["all_in_view"]]
        for cell in row["cells"]
    }


def test_with_nothing_too_small_the_csv_is_the_file_the_education_lead_downloads(paramedic):
    station = _station_of_twenty(paramedic)
    _station_of_twenty(paramedic, area=station.parent)
    lead = make_user(Role.EDUCATION_LEAD, station.trust)
    browser = Client()
    browser.force_login(lead)
    download = browser.get(reverse("learning:show_compliance"), {"grouping": "station", "format": "csv"})

    answer = _get(_key(station), {"grouping": "station"}, Accept="text/csv")

    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"] == download["Content-Disposition"]
    assert answer.content == download.content
    assert b"Hidden" not in answer.content


def test_small_counts_are_hidden_with_whatever_would_give_them_back(paramedic):
    station = _station_of_twenty(paramedic, expired=1, never=1)
    big = _station_of_twenty(paramedic, area=station.parent, expired=6)

    body = _get(_key(station), {"grouping": "station"}).json()
    cells = _cells(body)

    small = cells[(station.name, "cstf-fire")]
    assert small["expired"] is None and small["never"] is None
    assert {"expired", "never"} <= set(small["hidden"])
    # Shown, the required and compliant counts would leave 2 for two cells that hide at least 1 each.
    assert small["required"] is None or small["compliant"] is None
    assert small["percent"] is None and small["standing"] is None
    # Every count given is nought or big enough, in every row.
    given = [
        cell[count] for cell in cells.values() for count in ("required", "compliant", "expired", "never")
    ]
    assert all(figure is None or figure == 0 or figure >= 5 for figure in given)
    assert cells[(big.name, "cstf-fire")]["never"] == 0
    # Nor may the totals give back what the station hides: the same counts are hidden there too, or more.
    everyone = cells[("All in view", "cstf-fire")]
    for count in small["hidden"]:
        row_figures = [cells[(name, "cstf-fire")][count] for name in (station.name, big.name)]
        assert everyone[count] is None or row_figures.count(None) >= 2


def test_the_csv_names_hidden_counts_and_the_percent_they_would_give(paramedic):
    station = _station_of_twenty(paramedic, never=1)

    answer = _get(_key(station), {"grouping": "station"}, Accept="text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))

    header, fire = rows[0], next(row for row in rows[1:] if row[0] == station.name)
    assert header[8] == "Never completed" and fire[8] == "Hidden"
    assert "Hidden" in fire[4:8] and fire[9] == fire[10] == "Hidden"


def test_only_the_keys_units_are_counted(paramedic):
    station = _station_of_twenty(paramedic)
    elsewhere = _station_of_twenty(paramedic, area=AreaFactory(parent=station.trust))

    body = _get(_key(station, units=[station.parent]), {"grouping": "station"}).json()

    assert [row["label"] for row in body["rows"]] == [station.name]
    assert elsewhere.name not in str(body)
    assert _cells(body)[("All in view", "cstf-fire")]["required"] == 20


def test_a_key_without_the_compliance_scope_is_refused(paramedic):
    station = _station_of_twenty(paramedic)

    answer = _get(_key(station, scopes=[KeyScope.READ_GUARDIAN_RETURN]))

    assert answer.status_code == 403


def test_the_call_is_audited_with_its_grouping_and_never_a_person(paramedic):
    station = _station_of_twenty(paramedic)

    _get(_key(station), {"grouping": "job_role"})

    event = AuditEvent.objects.filter(action="api_call").latest("pk")
    assert "job_role" in str(event.changes)
    assert "cstf-fire" not in str(event.changes)
