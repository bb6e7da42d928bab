"""Integration permissions, granted to roles by the one policy (people.access)."""

from candour.people.roles import Role, grant

MANAGE_INTEGRATIONS = "api.manage_integrations"


def grant_permissions() -> None:
    grant(Role.SYSTEM_ADMIN, MANAGE_INTEGRATIONS)
