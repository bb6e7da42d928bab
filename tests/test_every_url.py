"""Every named page, as every role and signed out: never a 500, and never an object outside the user's scope.

New pages are walked automatically. A page whose URL takes an object needs a sample in `SAMPLES`
(an object inside the walking users' trust, and one outside it), or this test says which is missing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from candour.people.roles import Role
from tests.support.factories import AreaFactory, PersonFactory, StationFactory, make_user

WALKED_NAMESPACES = {"core", "people"}
TRUST_ROLES = {Role.STAFF: "station", Role.APPRENTICE: "station", Role.LINE_MANAGER: "station"}
TRUST_ROLES |= {Role.OPERATIONS_MANAGER: "area"}
PUBLIC = {"core:health", "core:accessibility", "core:privacy", "people:sign_in"}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _named_patterns(entry, entry.namespace or namespace)
        elif entry.name and namespace in WALKED_NAMESPACES:
            found.append((f"{namespace}:{entry.name}", entry))
    return found


class World:
    """One trust the walking users belong to, and a second trust none of them can see."""

    def __init__(self):
        self.area = AreaFactory()
        self.station = StationFactory(parent=self.area)
        self.other_trust_station = StationFactory()

    def unit_for(self, role: str):
        reach = TRUST_ROLES.get(role, "trust")
        return {"station": self.station, "area": self.area, "trust": self.area.parent}[reach]


# kwarg name -> (world -> (object inside the users' trust, object outside it)) as URL values.
SAMPLES: dict[str, Callable[[World], tuple[str, str]]] = {
    "person_id": lambda world: (
        str(PersonFactory(station=world.station).public_id),
        str(PersonFactory(station=world.other_trust_station).public_id),
    ),
}


def _urls(world: World) -> list[tuple[str, str, str | None]]:
    """(name, URL inside scope, URL outside scope or None) for every walked page."""
    urls = []
    for name, pattern in _named_patterns(get_resolver()):
        params = list(pattern.pattern.converters)
        missing = [param for param in params if param not in SAMPLES]
        assert not missing, f"{name} takes {missing}: add a sample to SAMPLES in {__file__}"
        if not params:
            urls.append((name, reverse(name), None))
            continue
        inside, outside = {}, {}
        for param in params:
            inside[param], outside[param] = SAMPLES[param](world)
        urls.append((name, reverse(name, kwargs=inside), reverse(name, kwargs=outside)))
    return urls


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_page_as_every_role(db, role):
    world = World()
    client = Client()
    if role:
        client.force_login(make_user(role, world.unit_for(role)))
    failures = []
    for name, inside, outside in _urls(world):
        response = client.get(inside)
        if response.status_code >= 500:
            failures.append(f"{name} {inside}: {response.status_code}")
        if role is None and name not in PUBLIC and response.status_code not in (302, 405):
            failures.append(f"{name} {inside}: signed out but answered {response.status_code}")
        if outside:
            response = client.get(outside)
            if response.status_code not in (302, 403, 404):
                failures.append(f"{name} {outside}: outside scope but answered {response.status_code}")
    assert not failures, "\n".join(failures)


def test_admin_is_for_system_administrators_only(db):
    world = World()
    for role in Role.values:
        client = Client()
        client.force_login(make_user(role, world.unit_for(role)))
        expected = 200 if role == Role.SYSTEM_ADMIN else 302
        assert client.get("/admin/").status_code == expected, role
