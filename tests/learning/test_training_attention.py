"""The home page tells people what training they must do, and managers whose safeguarding has run out."""

import datetime as dt

from candour.core.attention import items_for
from candour.core.months import add_months
from candour.learning.services import training
from candour.people.roles import Role


def titled(user) -> dict:
    return {item.title: item for item in items_for(user)}


def test_training_attention_due_soon_names_the_subject(training_trust, make_user, training_record):
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic)
    training_record(crew.person, "cstf-fire", training_trust.today)
    training_record(
        crew.person, "sg-children-3", add_months(training_trust.today, -36) + dt.timedelta(days=20), "12"
    )

    items = titled(crew)

    due = items["Training due soon"]
    assert due.count == 1 and not due.urgent
    assert due.description.startswith("Safeguarding children level 3 is due within 60 days")
    assert due.url == "/training/mine/?show=due_soon"
    assert "Training expired" not in items


def test_training_attention_expired_and_never_done_are_urgent(training_trust, make_user):
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.paramedic)
    training.refresh_compliance([crew.person_id])

    expired = titled(crew)["Training expired"]

    assert (expired.count, expired.urgent) == (2, True)
    assert expired.description.startswith("Fire safety and Safeguarding children level 3 have expired")


def test_training_attention_nothing_for_the_up_to_date(training_trust, make_user, training_record):
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.dispatcher)
    training_record(crew.person, "cstf-fire", training_trust.today)
    training_record(crew.person, "sg-children-2", training_trust.today)

    assert not {"Training expired", "Training due soon"} & set(titled(crew))


def test_training_attention_managers_see_their_staff_with_expired_safeguarding(
    training_trust, make_user, training_person, training_record
):
    manager = make_user(Role.LINE_MANAGER, training_trust.a1, job_role=training_trust.dispatcher)
    for _ in range(2):
        training_record(training_person(), "sg-children-3", dt.date(2020, 1, 1), "12")
    training_record(training_person(station=training_trust.b1), "sg-children-3", dt.date(2020, 1, 1), "12")
    training_record(training_person(), "sg-children-3", training_trust.today, "12")

    item = titled(manager)["Staff in your area with expired safeguarding training"]
    lead_item = titled(training_trust.education_lead)["Staff in your area with expired safeguarding training"]

    assert (item.count, lead_item.count) == (2, 3)
    assert item.url == "/training/compliance/people/?group=safeguarding_children&status=expired"


def test_training_attention_staff_are_not_told_about_colleagues(
    training_trust, make_user, training_record, training_person
):
    crew = make_user(Role.STAFF, training_trust.a1, job_role=training_trust.dispatcher)
    training_record(training_person(), "sg-children-3", dt.date(2020, 1, 1), "12")

    assert "Staff in your area with expired safeguarding training" not in titled(crew)
