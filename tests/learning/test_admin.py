"""Reference data in the admin: a change to a refresher period recomputes the compliance it affects."""

import datetime as dt

import pytest
from django.test import Client

from candour.learning.models import ComplianceItem, Requirement, Subject, TrainingRecord
from candour.learning.services.training import refresh_compliance
from candour.people.roles import Role
from tests.support.factories import PersonFactory


@pytest.mark.django_db(transaction=True)
def test_shortening_a_refresher_period_in_the_admin_recomputes_expiry(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    person = PersonFactory()
    fire = Subject.objects.get(code="cstf-fire")
    Requirement.objects.create(job_role=person.job_role, subject=fire)
    TrainingRecord.objects.create(person=person, subject=fire, completed_on=dt.date(2025, 1, 10))
    refresh_compliance([person.pk])
    assert ComplianceItem.objects.get(person=person, subject=fire).expires_on == dt.date(2027, 1, 11)
    client = Client()
    client.force_login(admin)

    response = client.post(
        f"/admin/learning/subject/{fire.pk}/change/",
        {
            "code": fire.code,
            "name": fire.name,
            "group": fire.group,
            "level": "",
            "refresher_months": 12,
            "required_hours": "",
            "display_order": fire.display_order,
        },
    )

    assert response.status_code == 302, response.content[:500]
    assert ComplianceItem.objects.get(person=person, subject=fire).expires_on == dt.date(2026, 1, 11)
