from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "candour.api"
    label = "api"
    verbose_name = "Integration API"

    def ready(self):
        from candour.api import access, tasks  # noqa: F401 - tasks register themselves
        from candour.core import navigation
        from candour.people.access import can

        access.grant_permissions()
        navigation.register(
            "Integrations",
            "api:list_integrations",
            lambda user: can(user, access.MANAGE_INTEGRATIONS),
            90,
        )
