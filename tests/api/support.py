"""Builders for the API's tests: an integration of a trust, and a key issued to it."""

from __future__ import annotations

from candour.api import services
from candour.api.scopes import KeyScope
from candour.people.roles import Role
from tests.support.factories import StationFactory, make_user

EVERY_SCOPE = tuple(KeyScope.values)


def administrator(trust=None):
    trust = trust or StationFactory().trust
    return make_user(Role.SYSTEM_ADMIN, trust)


def integration(trust=None, name="Learning Hub", by=None):
    by = by or administrator(trust)
    trust = trust or by.memberships.get().unit
    return services.create_integration(
        by=by, trust=trust, name=name, owner="Education team", contact="lms@test.example"
    )


def issued_key(integration_=None, scopes=EVERY_SCOPE, units=None, **kwargs):
    """(the key's text, the stored key)"""
    integration_ = integration_ or integration()
    units = [integration_.trust] if units is None else units
    issued = services.issue_key(
        by=integration_.created_by, integration=integration_, scopes=scopes, units=units, **kwargs
    )
    return issued.text, issued.key
