"""What wraps every API view: the body guard's limit, no request-wide transaction, and the audit entry.

The API's views run outside ATOMIC_REQUESTS: a submission is checked outside any transaction and written in
one short one of its own (ADR 0023), and a read should not hold SQLite's write lock. Each call by a known
key is audited after it is answered: the integration, the key, the endpoint, the status and what the view
noted (a submission's id, its row counts); never the body.
"""

from __future__ import annotations

from functools import wraps

from django.db import transaction

from candour.api.models import ApiKey
from candour.core import audit
from candour.core.uploads import accepts_upload


def note(request, **facts) -> None:
    """Add facts (never the payload) to the audit entry of this call."""
    request.__dict__.setdefault("api_audit", {}).update(facts)


def wrapped(view):
    @wraps(view)
    def call(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        key = getattr(request, "auth", None)
        if isinstance(key, ApiKey):
            _audit(request, key, response.status_code)
        return response

    call = transaction.non_atomic_requests(call)
    call.refusals_as_json = True
    return accepts_upload("CANDOUR_API_MAX_BODY_BYTES")(call)


def _audit(request, key: ApiKey, status: int) -> None:
    route = request.resolver_match.route if request.resolver_match else request.path
    endpoint = f"{request.method} /{route}"
    audit.record(
        action="api_call",
        system=f"API: {key.integration.name}"[:120],
        target=key.integration,
        summary=f"{endpoint} answered {status}"[:255],
        changes={
            "key": key.prefix,
            "endpoint": endpoint,
            "status": status,
            **request.__dict__.get("api_audit", {}),
        },
    )
