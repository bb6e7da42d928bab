"""An import as every feed runs it: checked, then written in one transaction with the audit entry that says
who (or which system), which feed and file, and the counts, never a row's content."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from candour.core import audit
from candour.core.importing.framework import (
    Importer,
    ImportResult,
    Progress,
    Source,
    check_import,
    write_together,
)
from candour.core.importing.source import RowSource


def import_audited(
    importer: Importer,
    file: BinaryIO | Source,
    *,
    feed: str,
    by,
    columns: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
    then: Callable[[ImportResult], None] | None = None,
    file_name: str = "",
    alongside: Callable[[], None] | None = None,
    details: Callable[[], dict[str, Any]] = dict,
) -> ImportResult:
    """Check every row outside any transaction, then write them all in one with the audit entry: all or
    nothing. Call it outside any transaction.

    In the writing transaction, after the rows: `alongside()` (writes that go with them, such as a
    reconciliation), the audit entry with `details()`'s further counts (asked for once the rows are
    written), then `then(result)` (a job's outcome, say). When nothing is written, because a row was bad or
    because what the rows were checked against changed before the write, `then` has the refused result."""
    file_name = file_name or name_of(file)
    with check_import(importer, file, columns=columns, progress=progress) as checked:
        if checked.ok:

            def with_the_rows() -> None:
                if alongside is not None:
                    alongside()
                _audit_imported(by, feed, file_name, checked.result, **details())
                if then is not None:
                    then(checked.result)

            write_together([checked], then=with_the_rows)
        if not checked.ok and then is not None:
            then(checked.result)
        return checked.result


def name_of(file: BinaryIO | Source) -> str:
    """The name an import's audit entry gives its file: an upload's own name without its folders, or what a
    batch of rows sent as data says it came from."""
    if isinstance(file, RowSource):
        return file.name
    return Path(getattr(file, "name", "") or "").name


def _audit_imported(by, feed: str, file_name: str, result: ImportResult, **details) -> None:
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
