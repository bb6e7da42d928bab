from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "candour.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from candour.core import navigation
        from candour.operations import (  # noqa: F401 - they register themselves
            access,
            attention,
            call_importers,
            importers,
            measures,
            recording_measures,
            tasks,
        )
        from candour.people.access import can, has_role
        from candour.people.roles import Role

        access.grant_permissions()
        navigation.register(
            "Response times",
            "operations:show_overview",
            lambda user: can(user, access.VIEW_RESPONSE_TIMES),
            45,
            own_work_of=lambda user: has_role(user, Role.OPERATIONS_MANAGER, Role.EOC_MANAGER),
        )
        navigation.register(
            "Harm reviews",
            "operations:list_harm_reviews",
            lambda user: can(user, access.VIEW_HARM_REVIEWS),
            46,
            own_work_of=lambda user: has_role(user, Role.OPERATIONS_MANAGER, Role.QUALITY_LEAD),
        )
        navigation.register(
            "Call recordings",
            "operations:list_recording_exceptions",
            lambda user: can(user, access.WORK_RECORDINGS),
            47,
            own_work_of=lambda user: has_role(user, Role.OPERATIONS_MANAGER, Role.EOC_MANAGER),
        )
