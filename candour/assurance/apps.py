from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "candour.assurance"
    label = "assurance"
    verbose_name = "Assurance"

    def ready(self):
        from candour.assurance import access, attention, measures, tasks  # noqa: F401 - they register themselves

        access.grant_permissions()
        # Navigation entries (one per part) follow.
        from candour.core import navigation
        from candour.people.access import can
        from candour.people.roles import Permission

        navigation.register(
            "Measures", "assurance:list_measures", lambda u: can(u, Permission.VIEW_MEASURES), order=70
        )
        navigation.register(
            "CQC framework", "assurance:show_framework", lambda u: can(u, access.VIEW), order=75
        )
        navigation.register("Action plans", "assurance:list_plans", lambda u: can(u, access.VIEW), order=80)
        navigation.register("Risks", "assurance:list_risks", lambda u: can(u, access.VIEW), order=85)
        navigation.register("Reports", "assurance:list_reports", lambda u: can(u, access.VIEW), order=90)
