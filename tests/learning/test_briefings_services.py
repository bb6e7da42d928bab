"""Publishing fixes a briefing's audience within the publisher's scope; acknowledging counts once."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from candour.core.models import AuditEvent
from candour.core.refusals import Refused
from candour.learning.models import BriefingAudience
from candour.learning.services import briefings as services
from candour.people.roles import Role
from tests.learning.briefing_fixtures import northshire, people_at, publish  # noqa: F401 - fixtures
from tests.support.factories import PersonFactory


def _audience(briefing) -> set[int]:
    return set(briefing.audience.values_list("person_id", flat=True))


def test_publishing_fixes_the_audience_by_role_and_unit(northshire, publish):
    extra_a2 = people_at(northshire.a2, northshire.paramedic_role, 2)
    people_at(northshire.b1, northshire.paramedic_role, 3)

    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.area_a])

    expected = {northshire.paramedic.person_id, *(p.pk for p in extra_a2)}
    assert _audience(briefing) == expected
    assert set(briefing.audience.values_list("station_id", flat=True)) == {northshire.a1.pk, northshire.a2.pk}
    assert list(briefing.audience_units.all()) == [northshire.area_a]
    assert list(briefing.audience_roles.all()) == [northshire.paramedic_role]
    assert briefing.published_on == timezone.localdate()


def test_publishing_to_a_station_and_an_area_reaches_both(northshire, publish):
    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.a2, northshire.area_b])

    assert _audience(briefing) == {northshire.paramedic_b.person_id}


def test_publishing_without_roles_or_units_reaches_everyone_in_scope(northshire, publish):
    briefing = publish()

    everyone = {
        u.person_id
        for u in (northshire.lead, northshire.area_lead, northshire.paramedic, northshire.technician)
    }
    assert _audience(briefing) == everyone | {northshire.paramedic_b.person_id}
    assert list(briefing.audience_units.all()) == [northshire.trust]


def test_publishing_without_units_stays_within_an_area_leads_scope(northshire, publish):
    briefing = publish(by=northshire.area_lead, roles=[northshire.paramedic_role])

    assert _audience(briefing) == {northshire.paramedic.person_id}
    assert list(briefing.audience_units.all()) == [northshire.area_a]


def test_publishing_leaves_out_leavers_and_people_yet_to_start(northshire, publish):
    today = timezone.localdate()
    PersonFactory(station=northshire.a1, leave_date=today - dt.timedelta(days=1))
    PersonFactory(station=northshire.a1, start_date=today + dt.timedelta(days=7))

    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.a1])

    assert _audience(briefing) == {northshire.paramedic.person_id}


def test_the_audience_is_not_changed_by_later_starters(northshire, publish):
    briefing = publish(roles=[northshire.paramedic_role])
    people_at(northshire.a1, northshire.paramedic_role, 2)

    assert briefing.audience.count() == 2


def test_publishing_to_units_outside_scope_is_refused(northshire, publish):
    with pytest.raises(Refused, match="outside your area"):
        publish(by=northshire.area_lead, units=[northshire.b1])
    with pytest.raises(Refused, match="outside your area"):
        publish(units=[northshire.other_station])
    assert not BriefingAudience.objects.exists()


def test_publishing_with_a_past_deadline_is_refused(publish):
    with pytest.raises(Refused, match="today or in the future"):
        publish(acknowledge_by=timezone.localdate() - dt.timedelta(days=1))


def test_publishing_to_nobody_is_refused(northshire, publish):
    with pytest.raises(Refused, match="No one"):
        publish(roles=[northshire.technician_role], units=[northshire.b1])


def test_publishing_without_the_permission_is_refused(northshire, publish):
    with pytest.raises(PermissionDenied):
        publish(by=northshire.paramedic)


def test_publishing_is_audited_without_the_body(northshire, publish):
    briefing = publish(body="Secret-sounding body text")

    event = AuditEvent.objects.get(action="published_briefing")
    assert event.actor == northshire.lead
    assert event.object_id == str(briefing.public_id)
    assert event.changes["audience"] == briefing.audience.count()
    assert "Secret-sounding" not in str(event.changes)


def test_acknowledging_twice_keeps_the_first_time_and_one_audit_event(northshire, publish):
    briefing = publish()

    first = services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)
    again = services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)

    assert first.acknowledged_at is not None and again.acknowledged_at == first.acknowledged_at
    assert AuditEvent.objects.filter(action="acknowledged_briefing").count() == 1


def test_acknowledging_a_briefing_not_sent_to_you_is_refused(northshire, publish):
    briefing = publish(roles=[northshire.paramedic_role])

    with pytest.raises(BriefingAudience.DoesNotExist):
        services.acknowledge_briefing(by=northshire.technician, briefing=briefing)


def test_a_safeguarding_lead_may_publish(northshire, publish, make_user):
    lead = make_user(Role.SAFEGUARDING_LEAD, northshire.trust)

    assert publish(by=lead).audience.exists()
