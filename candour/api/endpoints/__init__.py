"""The integration API at /api/v1/ (docs/adr/0029): django-ninja, keyed, scoped, rate-limited, audited,
and refusing with problem details."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from candour.api.endpoints import compliance, exports, feeds, keys, measures
from candour.api.endpoints.auth import KeyBearer
from candour.api.endpoints.calls import wrapped
from candour.api.endpoints.problems import CONTENT_TYPE, ApiProblem, not_allowed

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_EXAMPLE = {
    "type": "about:blank",
    "title": "Nothing was imported",
    "status": 422,
    "detail": "1 problem(s) with the rows: fix them, send all again.",
    "errors": [
        {
            "row": 2,
            "column": "staff_number",
            "reason": "no person has the staff number '9999'",
            "message": "Row 2, staff_number: no person has the staff number '9999'",
        }
    ],
    "submission": "6f1c2d7e-0b7a-4c56-9f0e-2a3b4c5d6e7f",
}


# A request not in the documented shape (ninja's own check), and a body the body guard refuses unread.
_EVERY_CALL_MAY_GET = {422: "The request is not in the documented shape"}
_EVERY_BODY_MAY_GET = {
    411: "The body was sent without its length",
    413: "The body is larger than CANDOUR_API_MAX_BODY_BYTES",
    415: "The body was sent compressed",
}


def _problem_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": PROBLEM_REF}}}}


class CandourApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document as ninja makes it, with refusals served as what they are: application/problem+json,
        each with an example."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in _EVERY_CALL_MAY_GET.items():
                    responses.setdefault(status, _problem_response(description))
                if method in {"post", "put", "patch"}:
                    for status, description in _EVERY_BODY_MAY_GET.items():
                        responses.setdefault(status, _problem_response(description))
                for response in responses.values():
                    content = response.get("content", {})
                    shape = content.get("application/json", {}).get("schema", {})
                    if shape.get("$ref") == PROBLEM_REF:
                        content.pop("application/json")
                        content[CONTENT_TYPE] = {"schema": shape, "example": PROBLEM_EXAMPLE}
        return schema


api = CandourApi(
    title="Candour integration API",
    version="1",
    description=(
        "Send the trust's feeds (training records, the staff roster), read published measures, and read "
        "the files the trust exports (the freedom to speak up quarterly return, training compliance by "
        "unit). "
        "Every call carries a key issued by a Candour administrator: `Authorization: Bearer cnd_…`. "
        "Refusals are problem-details JSON (RFC 9457)."
    ),
    urls_namespace="api-v1",
    auth=KeyBearer(),
    docs_url=None,
)
api.add_router("", keys.router)
api.add_router("", feeds.router)
api.add_router("", measures.router)
api.add_router("", exports.router)
api.add_router("", compliance.router)


def _problem(request, status: int, title: str, detail: str, errors=(), headers=None) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "errors": list(errors)}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = CONTENT_TYPE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiProblem)
def _api_problem(request, exc: ApiProblem):
    return _problem(request, exc.status, exc.title, exc.detail, headers=exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    refusal = not_allowed(401)
    return _problem(request, 401, refusal.title, refusal.detail)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [
        {
            "row": None,
            "column": ".".join(str(part) for part in error.get("loc", ())),
            "reason": str(error.get("msg", "")),
            "message": f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}",
        }
        for error in exc.errors
    ]
    return _problem(request, 422, "The request is not in the documented shape", "See errors.", errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _problem(request, exc.status_code, str(exc), str(exc))


def urls() -> tuple[list, str, str]:
    """The API's URL patterns, each view wrapped (calls.wrapped)."""
    patterns, app_name, namespace = api.urls
    return [_wrap(pattern) for pattern in patterns], app_name, namespace


def _wrap(entry: URLPattern | URLResolver):
    if isinstance(entry, URLResolver):
        for inner in entry.url_patterns:
            _wrap(inner)
    else:
        entry.callback = wrapped(entry.callback)
    return entry
