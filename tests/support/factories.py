"""Builders for the trust structure and its people. Every field a test does not name gets a dull default."""

import datetime as dt

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from candour.people.models import JobRole, Membership, OrgUnit, Person, ProfessionalGroup, User
from candour.people.roles import Role


def user_password() -> str:
    """The one password every test user has: the demo's, so a browser test signs in the same way to both."""
    return getattr(settings, "CANDOUR_DEMO_PASSWORD", "northmoor-demo-password")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    kind = OrgUnit.Kind.TRUST
    name = factory.Sequence(lambda n: f"Test Ambulance Service {n} NHS Trust")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    parent = None


class AreaFactory(TrustFactory):
    kind = OrgUnit.Kind.AREA
    name = factory.Sequence(lambda n: f"Area {n}")
    code = factory.Sequence(lambda n: f"A{n:04d}")
    parent = factory.SubFactory(TrustFactory)


class StationFactory(TrustFactory):
    kind = OrgUnit.Kind.STATION
    name = factory.Sequence(lambda n: f"Station {n}")
    code = factory.Sequence(lambda n: f"S{n:04d}")
    parent = factory.SubFactory(AreaFactory)


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("code",)

    code = "paramedic"
    name = "Paramedic"
    professional_group = ProfessionalGroup.ALLIED_HEALTH
    is_clinical = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    staff_number = factory.Sequence(lambda n: f"N{n:06d}")
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    job_role = factory.SubFactory(JobRoleFactory)
    station = factory.SubFactory(StationFactory)
    start_date = dt.date(2020, 4, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    person = factory.SubFactory(PersonFactory)
    password = factory.LazyFunction(lambda: make_password(user_password()))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.LazyAttribute(lambda membership: membership.user.person.station)
    role = Role.STAFF
    starts_on = dt.date(2020, 4, 1)


def station_in(unit: OrgUnit) -> OrgUnit:
    """A station at or below `unit`, made if there is none, so that a person can belong there."""
    if unit.kind == OrgUnit.Kind.STATION:
        return unit
    area = unit if unit.kind == OrgUnit.Kind.AREA else unit.children.first() or AreaFactory(parent=unit)
    return area.children.first() or StationFactory(parent=area)


def make_user(
    role: str = Role.STAFF, unit: OrgUnit | None = None, *, email: str | None = None, **person_fields
) -> User:
    """A signed-up user holding `role` over `unit` (a fresh trust → area → station when not given)."""
    unit = unit or StationFactory()
    person = PersonFactory(station=station_in(unit), is_apprentice=role == Role.APPRENTICE, **person_fields)
    user = UserFactory(person=person, **({"email": email} if email else {}))
    MembershipFactory(user=user, unit=unit, role=role)
    return user
