"""The audit entry every import writes when its rows are in: who (or which system), which feed and file,
and the counts; never a row's content."""

from __future__ import annotations

from candour.core import audit
from candour.core.importing.framework import ImportResult


def audit_imported(by, feed: str, file_name: str, result: ImportResult, **details) -> None:
    """`feed` in words ("training records"); `details` are further counts the feed keeps (never rows)."""
    counts = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    audit.record(
        action="imported",
        actor=by,
        system="" if by else f"{feed} import",
        summary=f"{feed[:1].upper()}{feed[1:]} imported from {file_name or 'an unnamed file'}: {counts}",
        changes={
            "feed": feed,
            "file_name": file_name,
            "rows_read": result.rows_read,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            **details,
        },
    )
