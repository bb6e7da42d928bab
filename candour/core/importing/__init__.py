"""The importer framework every external feed goes through (DESIGN.md, "Imports"; ADR 0023).

An importer declares its columns, its natural key and how it writes a batch. `check_import` reads a CSV file
(or a batch of rows sent as data) and checks every row outside any transaction, keeping the good rows ready
to write; `write_together` then writes them in one short transaction, only if no row was bad. `run_import`
does both; `import_audited`, which every feed runs, does both with the feed's audit entry. A file goes in
whole or not at all, and the same file imported twice changes nothing.
"""

from candour.core.importing.audited import import_audited
from candour.core.importing.cells import (
    Invalid,
    Parser,
    code_of,
    day_date,
    iso_date,
    past_moment,
    quoted,
    text,
    yes_no,
)
from candour.core.importing.framework import (
    BATCH_SIZE,
    CheckedImport,
    Column,
    Importer,
    ImportResult,
    Progress,
    Row,
    RowError,
    StoredRowsChanged,
    check_import,
    run_import,
    write_together,
)
from candour.core.importing.source import CsvSource, RowSource
from candour.core.importing.upsert import PreparedUpsert, Upserted, WriteCounts, prepare_upsert, upsert

__all__ = [
    "BATCH_SIZE",
    "CheckedImport",
    "Column",
    "CsvSource",
    "ImportResult",
    "Importer",
    "Invalid",
    "Parser",
    "PreparedUpsert",
    "Progress",
    "Row",
    "RowError",
    "RowSource",
    "StoredRowsChanged",
    "Upserted",
    "WriteCounts",
    "check_import",
    "code_of",
    "day_date",
    "import_audited",
    "iso_date",
    "past_moment",
    "prepare_upsert",
    "quoted",
    "run_import",
    "text",
    "upsert",
    "write_together",
    "yes_no",
]
