"""Who may read and write controlled drugs registers, and who may witness an entry.

Staff keep the registers of their own station's premises; the medicines lead and the controlled drugs
accountable officer read and keep them wherever their membership reaches. A witness to a wastage or a
transfer is a second clinician (any member of staff); a witness to destruction must be authorised, which
here means the medicines lead or the accountable officer (STANDARDS.md §5).
"""

from candour.people.access import can
from candour.people.roles import Role, grant

VIEW_REGISTERS = "medicines.view_registers"
RECORD_ENTRIES = "medicines.record_entries"
WITNESS_ENTRIES = "medicines.witness_entries"
WITNESS_DESTRUCTION = "medicines.witness_destruction"
KEEP_REGISTERS = "medicines.keep_registers"
# Reporting an unexplained loss or suspected diversion outside the trust is the accountable officer's.
REPORT_LOSSES = "medicines.report_losses"
# The registers reconciled with patient records: the exceptions per clinician are the medicines lead's and
# the accountable officer's to work; the patterns, each clinician beside their peers, the officer's alone.
RECONCILE = "medicines.reconcile"
VIEW_PATTERNS = "medicines.view_patterns"


def grant_permissions() -> None:
    grant(Role.STAFF, VIEW_REGISTERS, RECORD_ENTRIES, WITNESS_ENTRIES)
    for role in (Role.MEDICINES_LEAD, Role.CD_ACCOUNTABLE_OFFICER):
        grant(
            role,
            VIEW_REGISTERS,
            RECORD_ENTRIES,
            WITNESS_ENTRIES,
            WITNESS_DESTRUCTION,
            KEEP_REGISTERS,
            RECONCILE,
        )
    grant(Role.CD_ACCOUNTABLE_OFFICER, REPORT_LOSSES, VIEW_PATTERNS)


def sees_registers(user) -> bool:
    return can(user, VIEW_REGISTERS)
