"""About the calling key: which integration it is, what it may do, when it expires. A first call to try."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from candour.api.endpoints.problems import problems

router = Router(tags=["Keys"])


class KeyAbout(Schema):
    integration: str
    key: str
    scopes: list[str]
    units: list[str]
    expires_at: dt.datetime


@router.get("/key", response={200: KeyAbout, **problems(401, 429)}, summary="The calling key")
def about_the_key(request):
    """What the key is: its integration, its prefix, its scopes, the units it may read, its expiry."""
    key = request.auth
    return {
        "integration": key.integration.name,
        "key": key.prefix,
        "scopes": key.scopes,
        "units": [str(unit.public_id) for unit in key.units.all()],
        "expires_at": key.expires_at,
    }
