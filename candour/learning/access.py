"""Learning permissions, granted to roles by the one policy (people.access). Scope comes from where the
role is held, as everywhere."""

from candour.people.roles import Role, grant

VIEW_OWN_TRAINING = "learning.view_own_training"
VIEW_COMPLIANCE = "learning.view_compliance"
MANAGE_TRAINING = "learning.manage_training"
CHASE_TRAINING = "learning.chase_training"
PUBLISH_BRIEFINGS = "learning.publish_briefings"
MANAGE_APPRENTICES = "learning.manage_apprentices"
VIEW_APPRENTICES = "learning.view_apprentices"


def grant_permissions() -> None:
    for role in Role:
        grant(role, VIEW_OWN_TRAINING)
    for role in (
        Role.LINE_MANAGER,
        Role.SAFEGUARDING_LEAD,
        Role.EDUCATION_LEAD,
        Role.QUALITY_LEAD,
        Role.OPERATIONS_MANAGER,
        Role.EXECUTIVE,
        Role.SYSTEM_ADMIN,
    ):
        grant(role, VIEW_COMPLIANCE)
    # Reminders come from the people who act on training, not from everyone who may read the figures.
    for role in (Role.LINE_MANAGER, Role.SAFEGUARDING_LEAD, Role.EDUCATION_LEAD, Role.OPERATIONS_MANAGER):
        grant(role, CHASE_TRAINING)
    grant(Role.EDUCATION_LEAD, MANAGE_TRAINING, PUBLISH_BRIEFINGS, MANAGE_APPRENTICES, VIEW_APPRENTICES)
    grant(Role.SYSTEM_ADMIN, MANAGE_TRAINING)
    grant(Role.SAFEGUARDING_LEAD, PUBLISH_BRIEFINGS, VIEW_APPRENTICES)
    grant(Role.LINE_MANAGER, VIEW_APPRENTICES)
