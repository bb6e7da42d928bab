"""The roles people hold, and the permissions each role grants. Read by the one policy module, `access`."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    APPRENTICE = "apprentice", "Apprentice"
    LINE_MANAGER = "line_manager", "Line manager"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    GUARDIAN = "guardian", "Freedom to speak up guardian"
    EDUCATION_LEAD = "education_lead", "Education lead"
    QUALITY_LEAD = "quality_lead", "Quality and governance lead"
    OPERATIONS_MANAGER = "operations_manager", "Operations manager"
    MEDICINES_LEAD = "medicines_lead", "Medicines lead"
    FLEET_LEAD = "fleet_lead", "Fleet and equipment lead"
    EOC_MANAGER = "eoc_manager", "Emergency operations centre manager"
    CD_ACCOUNTABLE_OFFICER = "cd_accountable_officer", "Controlled drugs accountable officer"
    INFORMATION_GOVERNANCE_LEAD = (
        "information_governance_lead",
        "Caldicott guardian or information governance lead",
    )
    CLINICAL_AUDIT_LEAD = "clinical_audit_lead", "Clinical audit lead"
    EXECUTIVE = "executive", "Executive or board member"
    SYSTEM_ADMIN = "system_admin", "System administrator"


# These roles see sensitive records or change the system; they must sign in with a second factor.
# The controlled drugs accountable officer sees named clinicians' patterns of use; the information
# governance lead sees who opened which patient's record.
PRIVILEGED_ROLES = frozenset(
    {
        Role.SAFEGUARDING_LEAD,
        Role.GUARDIAN,
        Role.EXECUTIVE,
        Role.SYSTEM_ADMIN,
        Role.CD_ACCOUNTABLE_OFFICER,
        Role.INFORMATION_GOVERNANCE_LEAD,
    }
)


class Permission(models.TextChoices):
    VIEW_HOME = "view_home", "See my home page"
    VIEW_PEOPLE = "view_people", "See people in my area"
    VIEW_ORGANISATION = "view_organisation", "See the organisation and its headcount"
    VIEW_MEASURES = "view_measures", "See published measures"
    VIEW_AUDIT_LOG = "view_audit_log", "Read the audit log"
    MANAGE_REFERENCE_DATA = "manage_reference_data", "Change reference data"
    MANAGE_PEOPLE = "manage_people", "Import and change staff records"
    MANAGE_EMAIL = "manage_email", "See and resend emails that could not be sent"
    MANAGE_SIGN_IN = "manage_sign_in", "Lift sign-in pauses and reset people's two-factor sign-in"


_EVERYONE = {Permission.VIEW_HOME}
_LEADERS = _EVERYONE | {Permission.VIEW_PEOPLE, Permission.VIEW_ORGANISATION, Permission.VIEW_MEASURES}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STAFF: frozenset(_EVERYONE),
    Role.APPRENTICE: frozenset(_EVERYONE),
    Role.LINE_MANAGER: frozenset(_EVERYONE | {Permission.VIEW_PEOPLE}),
    Role.SAFEGUARDING_LEAD: frozenset(_LEADERS),
    Role.GUARDIAN: frozenset(_LEADERS),
    Role.EDUCATION_LEAD: frozenset(_LEADERS),
    Role.QUALITY_LEAD: frozenset(_LEADERS),
    Role.OPERATIONS_MANAGER: frozenset(_LEADERS),
    Role.MEDICINES_LEAD: frozenset(_LEADERS),
    Role.FLEET_LEAD: frozenset(_LEADERS),
    Role.EOC_MANAGER: frozenset(_LEADERS),
    Role.CD_ACCOUNTABLE_OFFICER: frozenset(_LEADERS),
    Role.INFORMATION_GOVERNANCE_LEAD: frozenset(_LEADERS),
    Role.CLINICAL_AUDIT_LEAD: frozenset(_LEADERS),
    Role.EXECUTIVE: frozenset(_LEADERS),
    Role.SYSTEM_ADMIN: frozenset(
        _LEADERS
        | {
            Permission.VIEW_AUDIT_LOG,
            Permission.MANAGE_REFERENCE_DATA,
            Permission.MANAGE_PEOPLE,
            Permission.MANAGE_EMAIL,
            Permission.MANAGE_SIGN_IN,
        }
    ),
}


def grant(role: str, *permissions: str) -> None:
    """Let a domain app grant its own permissions to roles, from its AppConfig.ready()."""
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | frozenset(permissions)


def roles_with(permission: str) -> set[str]:
    return {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}
