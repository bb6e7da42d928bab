from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "candour.learning"
    label = "learning"
    verbose_name = "Training, briefings and apprenticeships"

    def ready(self):
        from candour.core import navigation, reference_data
        from candour.learning import access, attention, importers, measures, tasks  # noqa: F401 - they register themselves
        from candour.learning.reference import ensure_subjects
        from candour.people.access import can, has_role
        from candour.people.roles import Role

        reference_data.register("learning.Subject", ensure_subjects)

        access.grant_permissions()
        navigation.register(
            "My training", "learning:show_my_training", lambda u: can(u, access.VIEW_OWN_TRAINING), 40
        )

        # The education lead's own work; a line manager's too, for their team's training and apprentices.
        def education_lead(u):
            return has_role(u, Role.EDUCATION_LEAD)

        def education_lead_or_manager(u):
            return has_role(u, Role.EDUCATION_LEAD, Role.LINE_MANAGER)

        navigation.register(
            "Briefings",
            "learning:list_briefings",
            lambda u: can(u, access.VIEW_OWN_TRAINING),
            45,
            own_work_of=education_lead,
        )
        navigation.register(
            "Compliance",
            "learning:show_compliance",
            lambda u: can(u, access.VIEW_COMPLIANCE),
            50,
            own_work_of=education_lead_or_manager,
        )
        navigation.register(
            "Apprentices",
            "learning:show_caseload",
            lambda u: can(u, access.MANAGE_APPRENTICES) or can(u, access.VIEW_APPRENTICES),
            55,
            own_work_of=education_lead_or_manager,
        )
