"""The importer framework every external feed goes through (DESIGN.md, "Imports").

An importer declares its columns, its natural key and how it writes a batch; `run_import` streams the CSV
file, checks every row, and writes good rows in batches inside one transaction that is kept only if no row is
bad: a file goes in whole or not at all, and the same file imported twice changes nothing.
"""

from candour.core.importing.cells import Invalid, Parser, code_of, iso_date, quoted, text, yes_no
from candour.core.importing.framework import (
    BATCH_SIZE,
    Column,
    Importer,
    ImportResult,
    Progress,
    Row,
    RowError,
    run_import,
)
from candour.core.importing.upsert import Upserted, WriteCounts, upsert

__all__ = [
    "BATCH_SIZE",
    "Column",
    "ImportResult",
    "Importer",
    "Invalid",
    "Parser",
    "Progress",
    "Row",
    "RowError",
    "Upserted",
    "WriteCounts",
    "code_of",
    "iso_date",
    "quoted",
    "run_import",
    "text",
    "upsert",
    "yes_no",
]
