"""Who may do what in assurance. Everything is scoped through `people.access`; objects carry `access_unit`."""

from __future__ import annotations

from candour.people.access import can
from candour.people.roles import Role, grant

VIEW = "assurance.view"
SELF_ASSESS = "assurance.self_assess"
MANAGE_FRAMEWORK = "assurance.manage_framework"
MANAGE_PLANS = "assurance.manage_plans"
MANAGE_RISKS = "assurance.manage_risks"
GENERATE_REPORTS = "assurance.generate_reports"

_LEADS = (
    Role.SAFEGUARDING_LEAD,
    Role.GUARDIAN,
    Role.EDUCATION_LEAD,
    Role.QUALITY_LEAD,
    Role.OPERATIONS_MANAGER,
    Role.MEDICINES_LEAD,
    Role.FLEET_LEAD,
    Role.EOC_MANAGER,
    Role.CD_ACCOUNTABLE_OFFICER,
    Role.INFORMATION_GOVERNANCE_LEAD,
    Role.CLINICAL_AUDIT_LEAD,
    Role.EXECUTIVE,
    Role.SYSTEM_ADMIN,
)
# The managers responsible for a service's quality judge it; the quality lead runs the framework.
_RESPONSIBLE_MANAGERS = (
    Role.SAFEGUARDING_LEAD,
    Role.EDUCATION_LEAD,
    Role.QUALITY_LEAD,
    Role.OPERATIONS_MANAGER,
    Role.MEDICINES_LEAD,
    Role.FLEET_LEAD,
    Role.EXECUTIVE,
)


def grant_permissions() -> None:
    for role in _LEADS:
        grant(role, VIEW)
    for role in _RESPONSIBLE_MANAGERS:
        grant(role, SELF_ASSESS)
    grant(Role.QUALITY_LEAD, MANAGE_FRAMEWORK, MANAGE_PLANS, MANAGE_RISKS, GENERATE_REPORTS)
    grant(Role.EXECUTIVE, MANAGE_PLANS, MANAGE_RISKS, GENERATE_REPORTS)
    grant(Role.EDUCATION_LEAD, GENERATE_REPORTS)


def may_update_action(user, action) -> bool:
    """An action's owner keeps it up to date; so may whoever manages plans over its unit."""
    return action.owner_id == getattr(user, "pk", None) or can(user, MANAGE_PLANS, action)


def may_review_risk(user, risk) -> bool:
    return risk.owner_id == getattr(user, "pk", None) or can(user, MANAGE_RISKS, risk)
