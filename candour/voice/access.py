"""Who may run pulses, read their results and publish "you said, we did"; anyone in a pulse's audience
may answer it (see `voice.queries.open_pulses_for`)."""

from candour.people.roles import Role, grant

RUN_PULSES = "voice.run_pulses"
VIEW_RESULTS = "voice.view_results"


def grant_permissions() -> None:
    for role in (Role.QUALITY_LEAD, Role.EDUCATION_LEAD, Role.GUARDIAN, Role.EXECUTIVE):
        grant(role, RUN_PULSES, VIEW_RESULTS)
    for role in (Role.SAFEGUARDING_LEAD, Role.OPERATIONS_MANAGER, Role.SYSTEM_ADMIN):
        grant(role, VIEW_RESULTS)
