from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "candour.learning"
    label = "learning"
    verbose_name = "Training, briefings and apprenticeships"

    def ready(self):
        from candour.core import navigation
        from candour.learning import access, attention, measures, tasks  # noqa: F401 - they register themselves
        from candour.people.access import can

        access.grant_permissions()
        navigation.register(
            "My training", "learning:show_my_training", lambda u: can(u, access.VIEW_OWN_TRAINING), 40
        )
        navigation.register(
            "Briefings", "learning:list_briefings", lambda u: can(u, access.VIEW_OWN_TRAINING), 45
        )
        navigation.register(
            "Compliance", "learning:show_compliance", lambda u: can(u, access.VIEW_COMPLIANCE), 50
        )
        navigation.register(
            "Apprentices",
            "learning:show_caseload",
            lambda u: can(u, access.MANAGE_APPRENTICES) or can(u, access.VIEW_APPRENTICES),
            55,
        )
