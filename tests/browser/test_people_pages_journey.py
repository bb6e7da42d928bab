"""Journeys through the people pages an administrator and a manager use, at desktop and phone widths
(the Journey checks each page with axe at both, and for reflow at 320 px)."""

from django.urls import reverse
from playwright.sync_api import expect

from candour.core import audit
from candour.people.roles import Role
from tests.support.factories import PersonFactory, UserFactory


def test_given_long_audit_entries_when_an_administrator_reads_the_log_then_it_works_on_a_phone(
    journey, make_user
):
    admin = make_user(Role.SYSTEM_ADMIN)
    integration = UserFactory(person=None, email="training-records-integration@northmoor.example")
    for _ in range(3):
        audit.record(
            action="imported_training_records",
            actor=integration,
            target=PersonFactory(),
            summary="Training records from the learning management system's nightly export",
        )

    journey.sign_in(admin.email)
    journey.visit(reverse("people:list_audit_events"))

    expect(journey.page.get_by_role("region", name="Audit events")).to_be_visible()
