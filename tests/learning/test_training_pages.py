"""My training, the compliance matrix and its drill-down and exports, and entering a record by hand: each
allowed, forbidden and out of scope."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse_lazy
from openpyxl import load_workbook

from candour.core.months import add_months
from candour.learning.models import ComplianceItem, Subject, TrainingRecord
from candour.learning.queries import training as queries
from candour.learning.services import training
from candour.people.access import scope_of
from candour.people.models import User
from candour.people.roles import Role
from tests.support.factories import MembershipFactory

MY_TRAINING = reverse_lazy("learning:show_my_training")
COMPLIANCE = reverse_lazy("learning:show_compliance")
PEOPLE = reverse_lazy("learning:list_compliance_people")
ADD = reverse_lazy("learning:add_training_record")


@pytest.fixture
def crews(training_trust, training_person, training_record):
    """At a1: four paramedics (two compliant with safeguarding children level 3, one due soon, one expired,
    and all but one never done fire safety) and a dispatcher. At b1: a paramedic, compliant."""
    today = training_trust.today
    a1 = [training_person(staff_number=f"A1-{n}") for n in range(4)]
    recent = today - dt.timedelta(days=100)
    for person in a1[:2]:
        training_record(person, "sg-children-3", recent, hours="12")
    due = add_months(today, -36) + dt.timedelta(days=10)
    training_record(a1[2], "sg-children-3", due, hours="12")
    training_record(a1[3], "sg-children-3", add_months(today, -40), hours="12")
    training_record(a1[0], "cstf-fire", recent)
    dispatcher = training_person(staff_number="A1-D", job_role=training_trust.dispatcher)
    b1 = training_person(staff_number="B1-0", station=training_trust.b1)
    training_record(b1, "sg-children-3", recent, hours="12")
    training.refresh_compliance([dispatcher.pk, b1.pk])
    return {"a1": a1, "dispatcher": dispatcher, "b1": b1}


def test_my_training_shows_each_required_subject_with_its_status(crews, client_for):
    user = User.objects.create(email="crew@test.example", person=crews["a1"][2])
    MembershipFactory(user=user, role=Role.STAFF)

    page = client_for(user).get(MY_TRAINING).content.decode()

    assert "Safeguarding children level 3" in page and "Due soon" in page
    assert "Fire safety" in page and "Never completed" in page
    assert "1 is expired or not yet done." in page and "1 runs out within 60 days." in page


def test_my_training_without_a_staff_record_shows_why_it_is_empty(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    admin.person = None
    admin.save()

    response = client_for(admin).get(MY_TRAINING)

    assert response.status_code == 200
    assert "There is no staff record linked to your sign-in" in response.content.decode()


def test_my_training_asks_signed_out_visitors_to_sign_in(client):
    assert client.get(MY_TRAINING).status_code == 302


def test_compliance_matrix_counts_in_one_grouped_query(
    crews, training_trust, django_assert_num_queries, django_assert_max_num_queries
):
    scope = scope_of(training_trust.education_lead, "learning.view_compliance")
    subject_ids = list(Subject.objects.values_list("pk", flat=True))

    with django_assert_num_queries(1):
        queries.compliance_counts(scope, by="station_id", subject_ids=subject_ids, today=training_trust.today)
    # The counts, and the labels for them: the subjects, and the stations counted.
    with django_assert_max_num_queries(3):
        matrix = queries.compliance_matrix(scope, grouping=queries.Grouping.STATION)

    rows = {row.label: row for row in matrix.rows}
    children_3 = training_trust.subject("sg-children-3").pk
    a1 = rows["Station A1"].cells[children_3]
    assert (a1.required, a1.compliant, a1.due_soon, a1.expired, a1.never) == (4, 3, 1, 1, 0)
    assert a1.percent == 75
    assert matrix.totals[children_3].required == 5 and matrix.totals[children_3].compliant == 4
    assert [s.code for s in matrix.subjects] == ["cstf-fire", "sg-children-2", "sg-children-3"]


def test_compliance_matrix_by_job_role_and_filtered(crews, training_trust):
    scope = scope_of(training_trust.education_lead, "learning.view_compliance")

    by_role = queries.compliance_matrix(
        scope, grouping=queries.Grouping.JOB_ROLE, subject_group="core_skills"
    )
    paramedics_only = queries.compliance_matrix(scope, job_role_code="paramedic")

    assert [(row.label, [c.required for c in row.cells.values()]) for row in by_role.rows] == [
        ("Emergency medical dispatcher", [1]),
        ("Paramedic", [5]),
    ]
    assert [row.label for row in paramedics_only.rows] == ["Area A", "Area B"]
    assert "sg-children-2" not in [s.code for s in paramedics_only.subjects]


def test_compliance_page_for_a_lead_in_few_queries(
    crews, training_trust, client_for, django_assert_max_num_queries
):
    client = client_for(training_trust.education_lead)
    client.get(COMPLIANCE)  # the session and sign-in checks settle on the first request

    with django_assert_max_num_queries(9):
        response = client.get(COMPLIANCE, {"grouping": "station"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Station A1" in page and "Station B1" in page and "75%" in page


def test_compliance_page_is_forbidden_to_staff(make_user, client_for):
    assert client_for(make_user(Role.STAFF)).get(COMPLIANCE).status_code == 403


def test_compliance_page_shows_a_line_manager_only_their_station(
    crews, training_trust, make_user, client_for
):
    manager = make_user(Role.LINE_MANAGER, training_trust.b1, job_role=training_trust.dispatcher)
    training.refresh_compliance([manager.person_id])

    page = client_for(manager).get(COMPLIANCE, {"grouping": "station"}).content.decode()

    assert "Station B1" in page and "Station A1" not in page


def test_compliance_exports_match_the_matrix(crews, training_trust, client_for):
    client = client_for(training_trust.education_lead)
    scope = scope_of(training_trust.education_lead, "learning.view_compliance")
    matrix = queries.compliance_matrix(scope, grouping=queries.Grouping.STATION)
    expected = [
        [row.label, subject.code, cell.required, cell.compliant, cell.due_soon, cell.expired, cell.never]
        for row in [*matrix.rows, queries.MatrixRow("", "All in view", "", matrix.totals)]
        for subject in matrix.subjects
        if (cell := row.cells.get(subject.pk))
    ]

    as_csv = client.get(COMPLIANCE, {"grouping": "station", "format": "csv"})
    as_xlsx = client.get(COMPLIANCE, {"grouping": "station", "format": "xlsx"})

    assert as_csv["Content-Disposition"].startswith('attachment; filename="training-compliance-by-station-')
    csv_rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert csv_rows[0] == xlsx_rows[0] == ["Station", *csv_rows[0][1:]]
    picked_csv = [[r[0], r[2], *map(int, r[4:9])] for r in csv_rows[1:]]
    picked_xlsx = [[r[0], r[2], *r[4:9]] for r in xlsx_rows[1:]]
    assert picked_csv == picked_xlsx == expected
    assert [
        "Station A1",
        "Area A",
        "sg-children-3",
        "Safeguarding children level 3",
        "4",
        "3",
        "1",
        "1",
        "0",
        "75.0",
        "Below target",
    ] in csv_rows


def test_compliance_people_drill_down_filters_by_unit_subject_and_status(crews, training_trust, client_for):
    client = client_for(training_trust.education_lead)

    page = client.get(
        PEOPLE,
        {"unit": str(training_trust.area_a.public_id), "subject": "sg-children-3", "status": "expired"},
    ).content.decode()

    assert "A1-3" in page and "A1-0" not in page and "B1-0" not in page
    assert "1 result" in page


def test_compliance_people_never_lists_anyone_out_of_scope(crews, training_trust, make_user, client_for):
    manager = make_user(Role.LINE_MANAGER, training_trust.b1)

    page = client_for(manager).get(PEOPLE, {"unit": str(training_trust.area_a.public_id)}).content.decode()

    assert "B1-0" in page and "A1-" not in page


def test_compliance_people_is_forbidden_to_staff(make_user, client_for):
    assert client_for(make_user(Role.STAFF)).get(PEOPLE).status_code == 403


def record_form(staff_number: str, **fields) -> dict:
    return {
        "staff_number": staff_number,
        "subject": "cstf-fire",
        "completed_on_day": "2",
        "completed_on_month": "3",
        "completed_on_year": "2025",
        "hours": "",
        "provider": "Station drill",
    } | fields


def test_add_training_record_by_an_education_lead(crews, training_trust, client_for):
    person = crews["a1"][1]

    response = client_for(training_trust.education_lead).post(ADD, record_form(person.staff_number))

    assert response.status_code == 302
    record = TrainingRecord.objects.get(person=person, subject__code="cstf-fire")
    assert (record.completed_on, record.provider) == (dt.date(2025, 3, 2), "Station drill")
    assert ComplianceItem.objects.get(person=person, subject__code="cstf-fire").expires_on == dt.date(
        2027, 3, 3
    )


def test_add_training_record_shows_problems_by_their_fields(crews, training_trust, client_for):
    client = client_for(training_trust.education_lead)
    person = crews["a1"][1]

    missing_hours = client.post(
        ADD, record_form(person.staff_number, subject="sg-children-3")
    ).content.decode()
    future = client.post(ADD, record_form(person.staff_number, completed_on_year="2999")).content.decode()
    unknown = client.post(ADD, record_form("NOBODY")).content.decode()

    assert "needs 12 hours every 36 months" in missing_hours
    assert "must be today or in the past" in future
    assert "No one you manage training for has that staff number" in unknown
    assert not TrainingRecord.objects.filter(provider="Station drill").exists()


def test_add_training_record_for_someone_out_of_scope_is_not_found(
    crews, training_trust, make_user, client_for
):
    area_lead = make_user(Role.EDUCATION_LEAD, training_trust.area_a)

    page = client_for(area_lead).post(ADD, record_form(crews["b1"].staff_number)).content.decode()

    assert "No one you manage training for has that staff number" in page
    assert not TrainingRecord.objects.filter(provider="Station drill").exists()


def test_add_training_record_is_forbidden_to_line_managers(training_trust, make_user, client_for):
    manager = make_user(Role.LINE_MANAGER, training_trust.a1)

    assert client_for(manager).get(ADD).status_code == 403
    assert client_for(manager).post(ADD, record_form("A1-0")).status_code == 403
