"""Medicines use cases: the only code that writes to the medicines app's tables. Each writes its audit
event, and a rule that stops a change raises `candour.core.refusals.Refused`."""

from candour.medicines.services.checks import record_stock_check, work_discrepancy
from candour.medicines.services.onward import record_onward_outcome, record_onward_report
from candour.medicines.services.registers import (
    NAMES_INCIDENT,
    Movement,
    balance_of,
    create_premises,
    open_part,
    record_correction,
    record_entry,
    record_transfer,
)
from candour.medicines.services.witnesses import confirm_witness

__all__ = [
    "NAMES_INCIDENT",
    "Movement",
    "balance_of",
    "confirm_witness",
    "create_premises",
    "open_part",
    "record_correction",
    "record_entry",
    "record_onward_outcome",
    "record_onward_report",
    "record_stock_check",
    "record_transfer",
    "work_discrepancy",
]
