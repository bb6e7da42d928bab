"""The access policy: roles reach their unit and everything below it, and nothing else."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from candour.people.access import can, roles_of, scope_of
from candour.people.models import Membership
from candour.people.roles import Permission, Role, grant, roles_with
from tests.support.factories import AreaFactory, PersonFactory, StationFactory


def test_role_at_area_reaches_its_stations_but_not_another_area(make_user):
    area = AreaFactory()
    inside, outside = StationFactory(parent=area), StationFactory()
    manager = make_user(Role.OPERATIONS_MANAGER, area)

    assert can(manager, Permission.VIEW_PEOPLE, PersonFactory(station=inside))
    assert not can(manager, Permission.VIEW_PEOPLE, PersonFactory(station=outside))


def test_scope_lists_stations_and_areas_below_the_membership(make_user):
    area = AreaFactory()
    stations = {StationFactory(parent=area).pk for _ in range(3)}
    scope = scope_of(make_user(Role.QUALITY_LEAD, area), Permission.VIEW_PEOPLE)

    assert stations <= scope.station_ids
    assert scope.area_ids == {area.pk}
    assert not scope.trust_wide


def test_trust_membership_is_trust_wide(make_user):
    area = AreaFactory()
    scope = scope_of(make_user(Role.EXECUTIVE, area.parent), Permission.VIEW_PEOPLE)

    assert scope.trust_wide
    assert area.pk in scope.area_ids


def test_staff_role_cannot_see_people(make_user):
    staff = make_user(Role.STAFF)

    assert can(staff, Permission.VIEW_HOME)
    assert not can(staff, Permission.VIEW_PEOPLE)
    assert scope_of(staff, Permission.VIEW_PEOPLE).is_empty


def test_anonymous_and_inactive_users_can_do_nothing(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    admin.is_active = False

    assert not can(AnonymousUser(), Permission.VIEW_HOME)
    assert not can(admin, Permission.VIEW_AUDIT_LOG)


def test_ended_membership_grants_nothing(make_user):
    lead = make_user(Role.SAFEGUARDING_LEAD)
    Membership.objects.filter(user=lead).update(ends_on=dt.date(2021, 1, 1))
    lead = type(lead).objects.get(pk=lead.pk)

    assert roles_of(lead) == set()
    assert not can(lead, Permission.VIEW_PEOPLE)


def test_only_administrators_change_reference_data(make_user):
    assert make_user(Role.SYSTEM_ADMIN).is_staff
    assert not make_user(Role.EXECUTIVE).is_staff


def test_apps_can_grant_their_own_permissions():
    grant(Role.GUARDIAN, "speakup.test_permission")

    assert Role.GUARDIAN in roles_with("speakup.test_permission")
    assert Role.STAFF not in roles_with("speakup.test_permission")
