from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "candour.assurance"
    label = "assurance"
    verbose_name = "Assurance"

    def ready(self):
        from candour.assurance import access, attention, measures, tasks  # noqa: F401 - they register themselves
        from candour.assurance.reference import ensure_monitoring_themes, ensure_quality_statements
        from candour.core import reference_data

        reference_data.register("assurance.QualityStatement", ensure_quality_statements)
        reference_data.register("assurance.MonitoringTheme", ensure_monitoring_themes)

        access.grant_permissions()
        # Navigation entries (one per part) follow.
        from candour.core import navigation
        from candour.people.access import can, has_role
        from candour.people.roles import Permission, Role

        # Assurance is the quality lead's and the board's own work; the other leads follow their measures.
        def leads(u):
            return has_role(u, Role.QUALITY_LEAD, Role.EXECUTIVE)

        def leads_and_owners(u):
            return leads(u) or has_role(u, Role.OPERATIONS_MANAGER, Role.MEDICINES_LEAD, Role.FLEET_LEAD)

        navigation.register(
            "Measures",
            "assurance:list_measures",
            lambda u: can(u, Permission.VIEW_MEASURES),
            order=70,
            own_work_of=leads_and_owners,
        )
        navigation.register(
            "CQC framework",
            "assurance:show_framework",
            lambda u: can(u, access.VIEW),
            order=75,
            own_work_of=leads,
        )
        navigation.register(
            "Action plans",
            "assurance:list_plans",
            lambda u: can(u, access.VIEW),
            order=80,
            own_work_of=leads_and_owners,
        )
        navigation.register(
            "Risks",
            "assurance:list_risks",
            lambda u: can(u, access.VIEW),
            order=85,
            own_work_of=leads_and_owners,
        )
        navigation.register(
            "Reports", "assurance:list_reports", lambda u: can(u, access.VIEW), order=90, own_work_of=leads
        )
