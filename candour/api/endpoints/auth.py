"""Every call carries a key (`Authorization: Bearer cnd_…`), is counted against the key's rate limit in the
database (so every process shares one count), and does only what the key's scopes allow."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from ninja.security import HttpBearer

from candour.api.authentication import live_key_for
from candour.api.endpoints.problems import ApiProblem, not_allowed
from candour.api.models import ApiKey
from candour.api.scopes import KeyScope
from candour.core import throttle


def calls_limit() -> throttle.Limit:
    return throttle.Limit(
        "api.calls",
        settings.CANDOUR_API_CALLS_PER_WINDOW,
        dt.timedelta(seconds=settings.CANDOUR_API_RATE_WINDOW_SECONDS),
    )


class KeyBearer(HttpBearer):
    def authenticate(self, request, token: str) -> ApiKey:
        key = live_key_for(token)
        if key is None:
            raise not_allowed(401)
        limit = calls_limit()
        if throttle.count(limit, key.prefix) > limit.attempts:
            raise ApiProblem(
                429,
                "Too many calls",
                f"This key may make {limit.attempts} calls each {limit.window.seconds} seconds. "
                "Wait, then call again.",
                headers={"Retry-After": str(limit.window.seconds)},
            )
        return key

    def __call__(self, request):
        found = super().__call__(request)
        if found is None:  # no Authorization header, or not a bearer one
            raise not_allowed(401)
        return found


def require(request, scope: KeyScope) -> ApiKey:
    """The call's key, if it may do this; otherwise the one generic refusal."""
    key: ApiKey = request.auth
    if not key.allows(scope):
        raise not_allowed(403)
    return key
