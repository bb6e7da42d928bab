"""A small trust with a safeguarding lead, a guardian, and staff at one station, for speak-up tests."""

import secrets
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from candour.people.models import OrgUnit, User
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Category, Concern, Identity, Kind, Subject, Threshold
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user


@dataclass
class Trust:
    trust: OrgUnit
    station: OrgUnit
    lead: User
    guardian: User
    staff: User
    apprentice: User


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def trust(db) -> Trust:
    area = AreaFactory()
    station = StationFactory(parent=area)
    return Trust(
        trust=area.parent,
        station=station,
        lead=make_user(Role.SAFEGUARDING_LEAD, area.parent),
        guardian=make_user(Role.GUARDIAN, area.parent),
        staff=make_user(Role.STAFF, station),
        apprentice=make_user(Role.APPRENTICE, station),
    )


@dataclass(frozen=True)
class RaisedAnonymously:
    concern: Concern
    receipt_code: str


def raise_anonymously(**fields) -> RaisedAnonymously:
    """An anonymous concern sent, and written by the next batch (as the scheduler would, soon after)."""
    fields.setdefault("client_address", "192.0.2.10")
    held = services.raise_anonymous_concern(submission=secrets.token_hex(16), **fields)
    services.write_held_anonymous()
    return RaisedAnonymously(Concern.objects.get(pk=held.concern_id), held.receipt.code)


@pytest.fixture
def raise_concern(trust):
    """raise_concern(by=..., kind=..., identity=..., **more) with dull defaults for the rest. An anonymous
    one is given no one, and is written at once by a batch of its own."""

    def raise_(by=None, kind=Kind.LOW_LEVEL, identity=Identity.OPEN, **fields):
        fields.setdefault("narrative", "He made remarks about my appearance in the crew room.")
        fields.setdefault("subject_type", Subject.COLLEAGUE)
        if fields["subject_type"] == Subject.COLLEAGUE:
            fields.setdefault("subject_person", PersonFactory(station=trust.station))
        fields.setdefault("station", trust.station)
        if identity == Identity.ANONYMOUS:
            return raise_anonymously(kind=kind, **fields)
        return services.raise_concern(by=by or trust.apprentice, kind=kind, identity=identity, **fields)

    return raise_


@pytest.fixture
def triage(trust):
    """triage(concern, **overrides): the safeguarding lead triages it as theirs, a low-level conduct case."""

    def triage_(concern, **overrides):
        fields = {
            "primary_category": Category.CONDUCT,
            "secondary_categories": [],
            "threshold": Threshold.LOW_LEVEL,
            "owner": trust.lead,
            "team": [],
        }
        return services.triage(by=trust.lead, concern=concern, **(fields | overrides))

    return triage_
