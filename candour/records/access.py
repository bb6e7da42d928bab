"""Who may see record assurance, work custody exceptions, and review who opened which record.

Reviewing access is the Caldicott guardian's or information governance lead's alone: an alert names who
opened which patient's record. The clinical audit lead and quality lead see records' completeness and custody;
the clinical audit lead also sends a record's authors reviews of what it was missing. Everyone sees their own
records and reviews (a person, never a colleague: no one's named figures are shown to anyone else).
"""

from candour.people.roles import Role, grant

VIEW_RECORDS = "records.view_records"
MANAGE_CUSTODY = "records.manage_custody"
REVIEW_ACCESS = "records.review_access"
REVEAL_NHS_NUMBER = "records.reveal_nhs_number"
SEND_REVIEWS = "records.send_reviews"
VIEW_OWN_RECORDS = "records.view_own_records"
# The mandatory element sets are the trust's reference data: its clinical audit lead publishes new versions.
EDIT_ELEMENT_SETS = "records.edit_element_sets"
# Completeness by crew member names colleagues: for managers only (ADR 0033).
VIEW_CREW_COMPLETENESS = "records.view_crew_completeness"


def grant_permissions() -> None:
    for role in Role:
        grant(role, VIEW_OWN_RECORDS)
    grant(Role.INFORMATION_GOVERNANCE_LEAD, VIEW_RECORDS, MANAGE_CUSTODY, REVIEW_ACCESS, REVEAL_NHS_NUMBER)
    grant(Role.CLINICAL_AUDIT_LEAD, VIEW_RECORDS, MANAGE_CUSTODY, SEND_REVIEWS)
    grant(Role.QUALITY_LEAD, VIEW_RECORDS)
    grant(Role.CLINICAL_AUDIT_LEAD, VIEW_CREW_COMPLETENESS, EDIT_ELEMENT_SETS)
    grant(Role.LINE_MANAGER, VIEW_CREW_COMPLETENESS)


def is_clinician(user) -> bool:
    """Whether the user is a person in a clinical job role: the people who write patient records."""
    person = getattr(user, "person", None)
    return person is not None and person.job_role.is_clinical
