"""Data out as the trust's files hold it: training compliance by area, station or job role and subject, over
the key's units, as JSON or, with `Accept: text/csv`, in the columns of the education lead's download.

The page and its download are for people who may see the names behind them; a key may not, so every count
from 1 to one below the small-number threshold is hidden here, with the counts that would give it back (the
row's other counts, its percent and standing, and the all-in-view totals) by the same suppression the
guardian's return uses (core.suppression, docs/adr/0019)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema

from candour.api.endpoints.auth import require
from candour.api.endpoints.calls import note
from candour.api.endpoints.csv import json_or_csv, wants_csv
from candour.api.endpoints.problems import problems
from candour.api.scopes import KeyScope
from candour.core import exports, suppression
from candour.learning.queries import training
from candour.people.access import scope_under

router = Router(tags=["Exports"])
# Compliant, split into due soon and the rest, so that a hidden rest cannot be read off the two shown.
_LATER = "compliant_not_due_soon"


class ComplianceCell(Schema):
    subject: str
    required: int | None
    compliant: int | None
    due_soon: int | None
    expired: int | None
    never: int | None
    percent: float | None
    standing: str | None
    hidden: list[str]


class ComplianceRow(Schema):
    key: str
    label: str
    parent: str
    cells: list[ComplianceCell]


class ComplianceSubject(Schema):
    code: str
    name: str


class ComplianceOut(Schema):
    today: dt.date
    grouping: str
    target_percent: int
    subjects: list[ComplianceSubject]
    rows: list[ComplianceRow]
    all_in_view: ComplianceRow


class ComplianceQuery(Schema):
    grouping: Literal["area", "station", "job_role"] = "area"
    subject_group: str = ""
    role: str = ""


@router.get(
    "/exports/training-compliance",
    response={200: ComplianceOut, **problems(401, 403, 429)},
    url_name="show_training_compliance",
    summary="Training compliance by unit or job role",
    description=(
        "Compliance today for the people at the key's units and everything under them, by `grouping` "
        "(`area`, `station` or `job_role`) and subject, optionally for one subject group (`subject_group`, "
        "as `safeguarding`) or one job role (`role`, by its code). `compliant` includes `due_soon`. A count "
        "too small to give is null and named in `hidden`, with whatever would give it back; a percent or "
        "standing worked out from a hidden count is null too. Send `Accept: text/csv` for the download's "
        "columns, hidden counts reading `Hidden`."
    ),
    openapi_extra=json_or_csv(ComplianceOut),
)
def show_training_compliance(request, query: Query[ComplianceQuery]):
    key = require(request, KeyScope.READ_TRAINING_COMPLIANCE)
    matrix = training.compliance_matrix(
        scope_under(set(key.units.values_list("id", flat=True))),
        grouping=query.grouping,
        subject_group=query.subject_group,
        job_role_code=query.role,
    )
    hidden = hidden_counts(matrix)
    note(request, grouping=matrix.grouping, rows=len(matrix.rows))
    if wants_csv(request):
        return exports.csv_response(f"{matrix.export_name}.csv", matrix.csv_rows(hidden))
    return {
        "today": matrix.today,
        "grouping": matrix.grouping,
        "target_percent": training.target_percent(),
        "subjects": [{"code": subject.code, "name": subject.name} for subject in matrix.subjects],
        "rows": [_row(matrix, row, hidden) for row in matrix.rows],
        "all_in_view": _row(matrix, matrix.all_in_view, hidden),
    }


def hidden_counts(matrix: training.Matrix) -> frozenset[tuple[str, int, str]]:
    """The counts not to give, as (row key, subject id, count). Each subject is a table of its own: each
    row's required is its compliant, expired and never; its compliant is due soon and the rest; and each
    all-in-view count is the rows' added up."""
    hidden: set[tuple[str, int, str]] = set()
    everyone = matrix.all_in_view
    for subject in matrix.subjects:
        rows = [row for row in matrix.rows if subject.pk in row.cells]
        counts: dict[tuple[str, str], int] = {}
        totals = []
        for row in [*rows, everyone]:
            cell = row.cells[subject.pk]
            counts.update({(row.key, count): getattr(cell, count) for count in training.Cell.COUNTS})
            counts[(row.key, _LATER)] = cell.compliant - cell.due_soon
            totals.append(((row.key, "required"), [(row.key, c) for c in ("compliant", "expired", "never")]))
            totals.append(((row.key, "compliant"), [(row.key, "due_soon"), (row.key, _LATER)]))
        for count in [*training.Cell.COUNTS, _LATER]:
            totals.append(((everyone.key, count), [(row.key, count) for row in rows]))
        hidden |= {
            (row_key, subject.pk, count)
            for row_key, count in suppression.suppress(counts, totals)
            if count != _LATER
        }
    return frozenset(hidden)


def _row(matrix: training.Matrix, row: training.MatrixRow, hidden) -> dict:
    cells = []
    for subject in matrix.subjects:
        cell = row.cells.get(subject.pk)
        if cell is None:
            continue
        withheld = [count for count in training.Cell.COUNTS if (row.key, subject.pk, count) in hidden]
        judged = not (set(withheld) & training.Cell.JUDGED_ON)
        cells.append(
            {
                "subject": subject.code,
                **{
                    count: None if count in withheld else getattr(cell, count)
                    for count in training.Cell.COUNTS
                },
                "percent": round(cell.percent, 1) if judged and cell.percent is not None else None,
                "standing": cell.standing.value if judged and cell.standing else None,
                "hidden": withheld,
            }
        )
    return {"key": row.key, "label": row.label, "parent": row.parent_label, "cells": cells}
