"""Feeds in: one endpoint per registered feed (core.importing.feeds), and each submission's state.

The rows are the feed's CSV columns as named values; the importer checks them exactly as it checks a file
("Row n" where a file says "Line n+1"). The Idempotency-Key header names the submission: the same key and
body again returns the first answer and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from ninja import Header, Router, Schema, Status

from candour.api import importers
from candour.api.endpoints.auth import require
from candour.api.endpoints.calls import note
from candour.api.endpoints.problems import CONTENT_TYPE, ApiProblem, Problem, problems
from candour.api.models import Submission
from candour.api.scopes import KeyScope
from candour.core.importing import feeds
from candour.core.refusals import Refused

router = Router(tags=["Feeds"])
IDEMPOTENCY_KEY_MAX = 200


class Rows(Schema):
    rows: list[dict[str, Any]]


class SubmissionState(Schema):
    id: uuid.UUID
    feed: str
    state: str
    rows: int
    rows_checked: int
    created: int
    updated: int
    unchanged: int
    error_count: int
    errors: list[dict[str, Any]]
    received_at: dt.datetime
    finished_at: dt.datetime | None


def _state(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.public_id,
        "feed": feeds.get(submission.feed).path,
        "state": submission.state,
        "rows": submission.rows,
        "rows_checked": submission.rows_checked,
        "created": submission.created,
        "updated": submission.updated,
        "unchanged": submission.unchanged,
        "error_count": submission.error_count,
        "errors": submission.errors,
        "received_at": submission.created_at,
        "finished_at": submission.finished_at,
    }


def _answer(request, submission: Submission, response: HttpResponse):
    """The same answer however often it is asked: 201 imported, 202 still going, 422 refused with its rows."""
    note(
        request,
        submission=str(submission.public_id),
        rows=submission.rows,
        created=submission.created,
        updated=submission.updated,
        error_count=submission.error_count,
    )
    location = reverse("api-v1:show_submission", kwargs={"submission_id": submission.public_id})
    response["Location"] = location
    if submission.state == Submission.State.DONE:
        return Status(201, _state(submission))
    if submission.state == Submission.State.FAILED:
        response["Content-Type"] = CONTENT_TYPE
        return Status(
            422,
            {
                "title": "Nothing was imported",
                "status": 422,
                "detail": f"{submission.error_count} problem(s) with the rows: fix them, send all again.",
                "errors": submission.errors,
                "submission": str(submission.public_id),
            },
        )
    return Status(202, _state(submission))


def _send_endpoint(feed: feeds.Feed) -> None:
    scope = KeyScope(f"feeds.{feed.key}")

    @router.post(
        f"/feeds/{feed.path}",
        response={201: SubmissionState, 202: SubmissionState, **problems(400, 401, 403, 409, 413, 422, 429)},
        operation_id=f"send_{feed.key}",
        url_name=f"send_{feed.key}",
        summary=f"Send {feed.title.lower()}",
        description=(
            f"Rows of the {feed.title.lower()} feed, each with the columns {', '.join(feed.columns)} (as in "
            "the CSV file). All or nothing: any bad row and nothing is imported. Up to "
            "CANDOUR_API_IMMEDIATE_ROWS rows are imported at once (201, or 422 with the row errors); "
            "more are accepted (202) and imported by the worker: GET the Location for progress."
        ),
        openapi_extra={
            "requestBody": {"content": {"application/json": {"example": {"rows": [feed.example]}}}},
        },
    )
    def send(
        request,
        body: Rows,
        response: HttpResponse,
        idempotency_key: str = Header(..., alias="Idempotency-Key"),
    ):
        key = require(request, scope)
        if not 0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX:
            raise ApiProblem(
                400,
                "No usable Idempotency-Key",
                f"Send an Idempotency-Key header of 1 to {IDEMPOTENCY_KEY_MAX} characters, new for new rows.",
            )
        try:
            submission, fresh = importers.receive(
                key=key, feed=feed, idempotency_key=idempotency_key, body=request.body, rows=body.rows
            )
        except Refused as refusal:
            raise ApiProblem(409, "Idempotency-Key used for other rows", refusal.message) from None
        if fresh and not submission.stored_path:
            submission = importers.run(submission, body.rows)
        return _answer(request, submission, response)


for _feed in feeds.all_feeds():
    _send_endpoint(_feed)


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionState, **problems(401, 403, 404, 429)},
    url_name="show_submission",
    summary="A submission's state",
    description="Its state (waiting, running, done, failed), rows checked so far, counts and row errors.",
)
def show_submission(request, submission_id: uuid.UUID):
    key = request.auth
    submission = Submission.objects.filter(integration=key.integration, public_id=submission_id).first()
    if submission is None or not key.allows(f"feeds.{submission.feed}"):
        raise ApiProblem(404, "Not found", "No submission of this integration has that id.")
    note(request, submission=str(submission.public_id), rows_checked=submission.rows_checked)
    return _state(submission)


__all__ = ["Problem", "router"]
