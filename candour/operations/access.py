"""Who may see response times: the operations manager and the emergency operations centre manager, for the
units they hold their role in, and the executive and quality lead who answer for them."""

from candour.people.roles import Role, grant

VIEW_RESPONSE_TIMES = "operations.view_response_times"


def grant_permissions() -> None:
    for role in (Role.OPERATIONS_MANAGER, Role.EOC_MANAGER, Role.EXECUTIVE, Role.QUALITY_LEAD):
        grant(role, VIEW_RESPONSE_TIMES)


# Who works the call recording exceptions: the operations and emergency operations centre managers.
WORK_RECORDINGS = "operations.work_recording_exceptions"


def grant_recording_permissions() -> None:
    for role in (Role.OPERATIONS_MANAGER, Role.EOC_MANAGER):
        grant(role, WORK_RECORDINGS)
