"""Entering training by hand, and compliance items kept in step with records, roles, stations and leavers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.learning.models import ComplianceItem, TrainingRecord
from candour.learning.services import training
from candour.people.importers import import_staff_roster
from candour.people.roles import Role
from candour.people.signals import people_changed

DAY = dt.timedelta(days=1)


def items_of(person) -> dict[str, dt.date | None]:
    return dict(ComplianceItem.objects.filter(person=person).values_list("subject__code", "expires_on"))


def test_training_record_by_hand_updates_compliance_and_is_audited_once(training_trust, training_person):
    person = training_person()
    before = AuditEvent.objects.count()

    record = training.record_training(
        by=training_trust.education_lead,
        person=person,
        subject_code="cstf-fire",
        completed_on=dt.date(2025, 3, 31),
        provider=" Northshire fire team ",
    )

    assert (record.source, record.provider) == (TrainingRecord.Source.MANUAL, "Northshire fire team")
    assert items_of(person) == {"cstf-fire": dt.date(2027, 4, 1), "sg-children-3": None}
    event = AuditEvent.objects.get(sequence__gt=before)
    assert (event.action, event.changes["subject"], event.changes["staff_number"]) == (
        "recorded_training",
        "cstf-fire",
        person.staff_number,
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"completed_on": dt.date.today() + DAY}, "today or in the past"),
        ({"subject_code": "cstf-juggling"}, "no training subject with the code"),
        ({"hours": Decimal("0")}, "more than 0"),
        ({"hours": Decimal("-2")}, "more than 0"),
        ({"hours": Decimal("1.25")}, "one decimal place"),
        ({"subject_code": "sg-children-3", "hours": None}, "needs 12 hours every 36 months"),
    ],
)
def test_training_record_bad_input_is_refused_and_nothing_is_kept(
    training_trust, training_person, fields, reason
):
    values = {"subject_code": "cstf-fire", "completed_on": dt.date(2025, 1, 1), "hours": None} | fields

    with pytest.raises(Refused, match=reason):
        training.record_training(by=training_trust.education_lead, person=training_person(), **values)

    assert not TrainingRecord.objects.exists()


def test_training_record_twice_on_one_day_is_refused(training_trust, training_person):
    person = training_person()
    entry = {"by": training_trust.education_lead, "person": person, "subject_code": "cstf-fire"}
    training.record_training(**entry, completed_on=dt.date(2025, 1, 1))

    with pytest.raises(Refused, match="already has Fire safety recorded on that date"):
        training.record_training(**entry, completed_on=dt.date(2025, 1, 1))

    assert TrainingRecord.objects.count() == 1


def test_training_record_for_someone_outside_scope_is_refused(training_trust, training_person, make_user):
    area_lead = make_user(Role.EDUCATION_LEAD, training_trust.area_b)

    with pytest.raises(PermissionDenied):
        training.record_training(
            by=area_lead, person=training_person(), subject_code="cstf-fire", completed_on=dt.date(2025, 1, 1)
        )


def test_training_hours_accumulate_to_compliance(training_trust, training_person):
    person = training_person()
    lead = training_trust.education_lead
    training.record_training(
        by=lead,
        person=person,
        subject_code="sg-children-3",
        completed_on=dt.date(2024, 6, 1),
        hours=Decimal("7.5"),
    )
    assert items_of(person)["sg-children-3"] is None

    training.record_training(
        by=lead,
        person=person,
        subject_code="sg-children-3",
        completed_on=dt.date(2025, 2, 1),
        hours=Decimal("4.5"),
    )

    item = ComplianceItem.objects.get(person=person, subject__code="sg-children-3")
    assert (item.last_completed_on, item.expires_on) == (dt.date(2025, 2, 1), dt.date(2027, 6, 2))


def test_compliance_receiver_is_connected_when_the_app_loads():
    keys = [lookup_key[0] for lookup_key, *_ in people_changed.receivers]

    assert "learning.training.compliance" in keys


def test_compliance_change_of_role_swaps_requirements_through_the_signal(
    training_trust, training_person, training_record
):
    person = training_person()
    training_record(person, "cstf-fire", dt.date(2025, 1, 1))
    person.job_role = training_trust.dispatcher
    person.station = training_trust.b1
    person.save()

    people_changed.send(sender=None, person_ids=[person.pk])

    assert items_of(person) == {"cstf-fire": dt.date(2027, 1, 2), "sg-children-2": None}
    assert set(ComplianceItem.objects.filter(person=person).values_list("station", "job_role")) == {
        (training_trust.b1.pk, training_trust.dispatcher.pk)
    }


def test_compliance_change_of_role_in_the_staff_roster_follows_after_commit(
    training_trust, training_person, training_record, django_capture_on_commit_callbacks
):
    person = training_person()
    training_record(person, "sg-children-3", dt.date(2025, 1, 1), hours="12")
    header = (
        "staff_number,given_name,family_name,job_role_code,station_code,start_date,leave_date,"
        "line_manager_staff_number,is_apprentice,core_service_slug"
    )
    row = f"{person.staff_number},Alex,Moor,emd,{training_trust.a2.code},2020-04-01,,,N,"

    with django_capture_on_commit_callbacks(execute=True):
        result = import_staff_roster(by=None, file=io.BytesIO(f"{header}\n{row}\n".encode()))

    assert result.ok
    assert items_of(person) == {"cstf-fire": None, "sg-children-2": None}
    assert AuditEvent.objects.filter(action="reconciled_compliance").count() == 1


def test_compliance_leavers_lose_their_items_at_reconciliation(training_trust, training_person):
    staying, leaving = training_person(), training_person()
    training.refresh_compliance([staying.pk, leaving.pk])
    leaving.leave_date = training_trust.today
    leaving.save()

    changes = training.reconcile_compliance()

    assert (changes.created, changes.deleted) == (0, 2)
    assert set(items_of(staying)) == {"cstf-fire", "sg-children-3"} and not items_of(leaving)


def test_compliance_reconciliation_finds_only_people_out_of_step(training_trust, training_person):
    settled, new_starter = training_person(), training_person()
    training.refresh_compliance([settled.pk])
    moved = training_person()
    training.refresh_compliance([moved.pk])
    ComplianceItem.objects.filter(person=moved).update(station=training_trust.b1)

    assert training.out_of_step_people() == {new_starter.pk, moved.pk}
    before = AuditEvent.objects.count()
    training.reconcile_compliance()

    assert training.out_of_step_people() == set()
    assert AuditEvent.objects.filter(sequence__gt=before).count() == 1
    assert training.reconcile_compliance().any is False
