from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "candour.people"
    label = "people"
    verbose_name = "People and organisation"

    def ready(self):
        from candour.core import navigation
        from candour.people import attention, measures  # noqa: F401 - registers providers and measures
        from candour.people.access import can
        from candour.people.roles import Permission

        navigation.register("Home", "core:home", lambda user: True, order=0)
        navigation.register(
            "People", "people:list_people", lambda user: can(user, Permission.VIEW_PEOPLE), 80
        )
        navigation.register(
            "Organisation",
            "people:show_organisation",
            lambda user: can(user, Permission.VIEW_ORGANISATION),
            85,
        )
        navigation.register(
            "Audit log", "people:list_audit_events", lambda u: can(u, Permission.VIEW_AUDIT_LOG), 95
        )
