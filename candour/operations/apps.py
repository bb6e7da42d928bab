from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "candour.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from candour.core import navigation
        from candour.operations import access
        from candour.people.access import can, has_role
        from candour.people.roles import Role

        access.grant_permissions()

        # Response times are the operations manager's and the EOC manager's own work.
        def operations_team(user):
            return has_role(user, Role.OPERATIONS_MANAGER, Role.EOC_MANAGER)

        navigation.register(
            "Response times",
            "operations:show_overview",
            lambda user: can(user, access.VIEW_RESPONSE_TIMES),
            order=45,
            own_work_of=operations_team,
        )
