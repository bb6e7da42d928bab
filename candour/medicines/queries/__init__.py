"""Read models for the medicines pages: each answers for one user, through their scope."""

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
    "drugs_in_registers",
    "entry_for_keeper",
    "export_rows",
    "parts_of",
    "premises_for",
    "premises_for_keeper",
    "premises_of",
    "register_page",
    "register_part_for",
    "transfer_destinations",
    "units_for_premises",
]
