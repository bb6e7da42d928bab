from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "candour.people"
    label = "people"
    verbose_name = "People and organisation"

    def ready(self):
        from candour.core import navigation, reference_data
        from candour.people import (  # noqa: F401 - registers providers, measures and the roster feed
            attention,
            importers,
            measures,
        )
        from candour.people.access import can, has_role
        from candour.people.queries import uploadable_feeds
        from candour.people.reference import ensure_core_services
        from candour.people.roles import Permission, Role

        reference_data.register("people.CoreService", ensure_core_services)

        # The directory and the organisation are the administrator's own work; the team a line manager's.
        def administrator(user):
            return has_role(user, Role.SYSTEM_ADMIN)

        def administrator_or_manager(user):
            return has_role(user, Role.SYSTEM_ADMIN, Role.LINE_MANAGER)

        navigation.register("Home", "core:home", lambda user: True, order=0)
        navigation.register(
            "People",
            "people:list_people",
            lambda user: can(user, Permission.VIEW_PEOPLE),
            80,
            own_work_of=administrator_or_manager,
        )
        navigation.register(
            "Organisation",
            "people:show_organisation",
            lambda user: can(user, Permission.VIEW_ORGANISATION),
            85,
            own_work_of=administrator,
        )
        # For whoever may upload some feed's files: operations and EOC managers, the education lead, admins.
        navigation.register("Imports", "people:list_imports", lambda user: bool(uploadable_feeds(user)), 88)
        navigation.register(
            "Audit log",
            "people:list_audit_events",
            lambda u: can(u, Permission.VIEW_AUDIT_LOG),
            95,
            own_work_of=administrator,
        )
