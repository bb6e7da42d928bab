"""Closing a recording exception as a person does: as the EOC manager of the trust its call belongs to (any
trust's, for an exception that belongs to no station, which only a trust-wide scope reaches)."""

from __future__ import annotations

from candour.operations.services.recordings import close_exception
from candour.people.models import Membership, OrgUnit
from candour.people.roles import Role
from tests.support.factories import TrustFactory, make_user


def close_as_eoc_manager(exception, *, reason: str, note: str = "Worked"):
    trust = exception.station
    while trust is not None and trust.parent is not None:
        trust = trust.parent
    trust = trust or OrgUnit.objects.filter(kind=OrgUnit.Kind.TRUST).first() or TrustFactory()
    held = Membership.objects.filter(role=Role.EOC_MANAGER, unit=trust).select_related("user").first()
    manager = held.user if held else make_user(Role.EOC_MANAGER, trust)
    return close_exception(by=manager, exception_id=exception.pk, reason=reason, note=note)
