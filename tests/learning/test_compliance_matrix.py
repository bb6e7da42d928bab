"""The compliance matrix judged against the target in words as well as colour, with the subjects the user
chooses; the people behind a figure, those not compliant first with how long; chasing them by email; and
the home card that leads to exactly the staff it counts."""

import datetime as dt
import re

import pytest
from django.urls import reverse_lazy
from django.utils import timezone

from candour.core import outbox
from candour.core.attention import items_for
from candour.core.models import AuditEvent, OutboxMessage
from candour.core.months import add_months
from candour.learning.models import ReminderLog, Requirement
from candour.people.roles import Role
from tests.support.factories import UserFactory, make_user
from tests.support.smtp import free_port

COMPLIANCE = reverse_lazy("learning:show_compliance")
PEOPLE = reverse_lazy("learning:list_compliance_people")
CHASE = reverse_lazy("learning:chase_training")


@pytest.fixture
def station_a1(training_trust, training_person, training_record):
    """Twenty paramedics at A1 with conflict resolution as well. Conflict resolution: all compliant for
    years. Safeguarding children level 3: all compliant today, two running out within the due-soon window.
    Fire safety: eighteen compliant, one whose anniversary was ten days ago, one never done."""
    Requirement.objects.create(
        job_role=training_trust.paramedic, subject=training_trust.subject("cstf-conflict")
    )
    today = training_trust.today
    recent = today - dt.timedelta(days=100)
    people = [
        training_person(staff_number=f"P{n:02}", given_name=f"Given{n:02}", family_name=f"Family{n:02}")
        for n in range(20)
    ]
    for n, person in enumerate(people):
        training_record(person, "cstf-conflict", recent)
        due = add_months(today, -36) + dt.timedelta(days=10) if n < 2 else recent
        training_record(person, "sg-children-3", due, hours="12")
        if n == 18:
            training_record(person, "cstf-fire", add_months(today, -24) - dt.timedelta(days=10))
        elif n < 18:
            training_record(person, "cstf-fire", recent)
    return people


def _cell(page: str, row: str, subject: str) -> str:
    """The text of one cell of the matrix, found by the words a screen reader hears first."""
    found = re.search(
        rf"<td[^>]*>(?:(?!</td>).)*{re.escape(f'{row}, {subject}:')}(?:(?!</td>).)*</td>", page, re.S
    )
    assert found, f"no cell for {row}, {subject}"
    return re.sub(r"<[^>]+>", " ", found.group(0))


def test_compliance_matrix_says_in_words_how_each_cell_stands_against_the_target(
    station_a1, training_trust, client_for, settings
):
    settings.CANDOUR_TRAINING_COMPLIANCE_TARGET_PERCENT = 95

    page = client_for(training_trust.education_lead).get(COMPLIANCE, {"grouping": "station"}).content.decode()

    assert "Meets target" in _cell(page, "Station A1", "Conflict resolution")
    assert "At risk" in _cell(page, "Station A1", "Safeguarding children level 3")
    assert "Below target" in _cell(page, "Station A1", "Fire safety")
    assert "nhsuk-tag--red" in page and "nhsuk-tag--yellow" in page and "nhsuk-tag--green" in page


def test_compliance_matrix_shows_only_the_subjects_chosen(station_a1, training_trust, client_for):
    client = client_for(training_trust.education_lead)

    everything = client.get(COMPLIANCE).content.decode()
    chosen = client.get(COMPLIANCE, {"subjects": ["cstf-fire", "cstf-conflict"]}).content.decode()

    assert "Area A, Safeguarding children level 3:" in everything
    assert "Area A, Fire safety:" in chosen and "Area A, Conflict resolution:" in chosen
    assert "Area A, Safeguarding children level 3:" not in chosen
    assert 'value="cstf-fire" checked' in chosen or 'checked value="cstf-fire"' in chosen


def test_compliance_matrix_export_follows_the_subjects_chosen(station_a1, training_trust, client_for):
    export = client_for(training_trust.education_lead).get(
        COMPLIANCE, {"subjects": ["cstf-fire"], "format": "csv"}
    )

    lines = export.content.decode().splitlines()
    assert all("cstf-fire" in line for line in lines[1:]) and len(lines) == 3


def test_compliance_people_lists_those_not_compliant_first_with_how_long(
    station_a1, training_trust, client_for
):
    page = client_for(training_trust.education_lead).get(PEOPLE, {"subject": "cstf-fire"}).content.decode()

    # Look only in the table's rows: a random token elsewhere on the page can hold "P18" too.
    rows = page[page.index("<tbody") :]
    never, expired, first_compliant = rows.find("P19"), rows.find("P18"), rows.find("P00")
    assert -1 < never < expired < first_compliant
    assert (
        "Expired 9 days ago" in page
    )  # the anniversary was ten days ago: the day after is the first not held


def _chase_form(**filters) -> dict:
    return {"unit": "", "role": "", "subject": "", "group": "", "status": "", **filters}


def test_compliance_people_chase_emails_each_person_not_up_to_date_once(
    station_a1, training_trust, client_for, smtp_server
):
    for person in station_a1:
        UserFactory(person=person, email=f"{person.staff_number.lower()}@example.org")
    lead = client_for(training_trust.education_lead)

    done = lead.post(CHASE, _chase_form(subject="cstf-fire"), follow=True).content.decode()
    outbox.deliver_due()

    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == [
        "p18@example.org",
        "p19@example.org",
    ]
    never = next(mail for mail in smtp_server.messages if mail.recipients == ["p19@example.org"])
    assert "Fire safety: not yet done" in never.body
    assert "Reminder emailed to 2 people" in done
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.TRAINING_CHASER).count() == 2
    assert AuditEvent.objects.get(action="chased_training").changes["people"] == 2

    again = lead.post(CHASE, _chase_form(subject="cstf-fire"), follow=True).content.decode()
    outbox.deliver_due()

    assert len(smtp_server.messages) == 2
    assert "2 were reminded in the last 7 days" in again


def test_compliance_people_chase_covers_due_soon_as_well(station_a1, training_trust, client_for, smtp_server):
    for person in station_a1[:3]:
        UserFactory(person=person, email=f"{person.staff_number.lower()}@example.org")

    client_for(training_trust.education_lead).post(CHASE, _chase_form(subject="sg-children-3"))
    outbox.deliver_due()

    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == [
        "p00@example.org",
        "p01@example.org",
    ]
    assert "Safeguarding children level 3: valid until" in smtp_server.messages[0].body


def test_compliance_people_offers_the_chase_only_to_those_who_act_on_it(
    station_a1, training_trust, client_for
):
    executive = make_user(Role.EXECUTIVE, training_trust.trust)

    assert "Email a reminder" in client_for(training_trust.education_lead).get(PEOPLE).content.decode()
    assert "Email a reminder" not in client_for(executive).get(PEOPLE).content.decode()
    assert client_for(executive).post(CHASE, _chase_form()).status_code == 403


def test_compliance_people_chase_reaches_nobody_out_of_scope(
    station_a1, training_trust, client_for, smtp_server
):
    for person in station_a1:
        UserFactory(person=person, email=f"{person.staff_number.lower()}@example.org")
    manager_b = make_user(Role.LINE_MANAGER, training_trust.b1)

    client_for(manager_b).post(CHASE, _chase_form(subject="cstf-fire"))

    assert smtp_server.messages == []


def test_home_card_for_expired_safeguarding_leads_to_exactly_the_staff_it_counts(
    station_a1, training_trust, training_person, training_record, client_for
):
    for person in station_a1[:3]:
        person.training_records.filter(subject__code="sg-children-3").delete()
        training_record(person, "sg-children-3", add_months(training_trust.today, -40), hours="12")
    manager = make_user(Role.LINE_MANAGER, training_trust.a1)

    card = next(item for item in items_for(manager) if "expired safeguarding" in item.title)
    page = client_for(manager).get(card.url).content.decode()

    assert card.count == 3
    assert "3 people" in page
    listed = set(re.findall(r">(P\d\d)<", page))
    assert listed == {"P00", "P01", "P02"}
    assert page.count("Expired ") >= 3 and "days ago" in page


def test_home_cards_for_my_own_training_lead_to_just_what_they_count(
    training_trust, training_person, training_record, client_for
):
    user = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic)
    today = training_trust.today
    training_record(user.person, "cstf-fire", add_months(today, -24) + dt.timedelta(days=5))

    cards = {item.title: item for item in items_for(user)}
    expired = client_for(user).get(cards["Training expired"].url).content.decode()
    due = client_for(user).get(cards["Training due soon"].url).content.decode()

    assert "Safeguarding children level 3" in expired and "Fire safety" not in expired
    assert "Fire safety" in due and "Safeguarding children level 3" not in due


def test_compliance_people_chase_with_the_mail_server_down_keeps_each_reminder_to_send_once_later(
    station_a1, training_trust, client_for, settings, smtp_server
):
    for person in station_a1:
        UserFactory(person=person, email=f"{person.staff_number.lower()}@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    up_on = settings.EMAIL_PORT
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there

    page = client_for(training_trust.education_lead).post(
        CHASE, _chase_form(subject="cstf-fire"), follow=True
    )
    outbox.deliver_due()

    assert "Reminder emailed to 2 people" in page.content.decode()
    waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert sorted(waiting.values_list("to", flat=True)) == ["p18@example.org", "p19@example.org"]
    assert smtp_server.messages == []

    settings.EMAIL_PORT = up_on
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    outbox.deliver_due()

    assert sorted(mail.recipients[0] for mail in smtp_server.messages) == [
        "p18@example.org",
        "p19@example.org",
    ]
