"""Who may see record assurance, work custody exceptions, and review who opened which record.

Reviewing access is the Caldicott guardian's or information governance lead's alone: an alert names who
opened which patient's record. The clinical audit lead and quality lead see records' completeness and custody.
"""

from candour.people.roles import Role, grant

VIEW_RECORDS = "records.view_records"
MANAGE_CUSTODY = "records.manage_custody"
REVIEW_ACCESS = "records.review_access"
REVEAL_NHS_NUMBER = "records.reveal_nhs_number"


def grant_permissions() -> None:
    grant(Role.INFORMATION_GOVERNANCE_LEAD, VIEW_RECORDS, MANAGE_CUSTODY, REVIEW_ACCESS, REVEAL_NHS_NUMBER)
    grant(Role.CLINICAL_AUDIT_LEAD, VIEW_RECORDS, MANAGE_CUSTODY)
    grant(Role.QUALITY_LEAD, VIEW_RECORDS)
