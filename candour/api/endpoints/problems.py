"""Every refusal the API gives is a problem-details body (RFC 9457): type, title, status, detail, and for a
submission its row errors, in the importer's own words."""

from __future__ import annotations

from ninja import Schema

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"
# One answer for every key that will not do, whatever the reason, so that a caller learns nothing from it.
NOT_ALLOWED = "The key is missing, not known, expired, revoked, or not allowed to do this."


class RowProblem(Schema):
    """One problem with the rows: the row (None for the batch as a whole), the column, and why."""

    row: int | None
    column: str
    reason: str
    message: str


class Problem(Schema):
    type: str = PROBLEM_TYPE
    title: str
    status: int
    detail: str
    errors: list[RowProblem] = []
    # The submission a refusal of rows belongs to: GET it for the same answer later.
    submission: str | None = None


class ApiProblem(Exception):
    """Raise to answer with a problem: the status, a short title and a sentence saying what to do."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}


def not_allowed(status: int) -> ApiProblem:
    return ApiProblem(status, "Not allowed", NOT_ALLOWED)


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """The responses an operation documents for its refusals."""
    return dict.fromkeys(statuses, Problem)
