"""Read models for the medicines pages: each answers for one user, through their scope."""

from candour.medicines.queries.checks import (
    counts_of,
    discrepancy_for,
    open_discrepancies_of,
    recent_checks_of,
    stock_check_for,
)
from candour.medicines.queries.registers import (
    EXPORT_HEADINGS,
    PartSummary,
    RegisterLine,
    RegisterPage,
    drugs_in_registers,
    entry_for_keeper,
    export_rows,
    parts_of,
    premises_for,
    premises_for_keeper,
    premises_of,
    register_page,
    register_part_for,
    transfer_destinations,
    units_for_premises,
)

__all__ = [
    "EXPORT_HEADINGS",
    "PartSummary",
    "RegisterLine",
    "RegisterPage",
    "counts_of",
    "discrepancy_for",
    "drugs_in_registers",
    "entry_for_keeper",
    "export_rows",
    "open_discrepancies_of",
    "parts_of",
    "premises_for",
    "premises_for_keeper",
    "premises_of",
    "recent_checks_of",
    "register_page",
    "register_part_for",
    "stock_check_for",
    "transfer_destinations",
    "units_for_premises",
]
