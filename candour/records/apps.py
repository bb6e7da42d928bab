from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "candour.records"
    label = "records"
    verbose_name = "Patient records"

    def ready(self):
        from candour.core import navigation, reference_data
        from candour.people.access import can, has_role
        from candour.people.roles import Role
        from candour.records import access, attention, importers, measures, tasks  # noqa: F401 - they register themselves
        from candour.records.reference import ensure_default_element_set

        reference_data.register("records.ElementSet", ensure_default_element_set)

        access.grant_permissions()
        navigation.register(
            "Access alerts",
            "records:list_access_alerts",
            lambda user: can(user, access.REVIEW_ACCESS),
            55,
            own_work_of=lambda user: has_role(user, Role.INFORMATION_GOVERNANCE_LEAD),
        )
        navigation.register(
            "My records",
            "records:show_my_records",
            lambda user: can(user, access.VIEW_OWN_RECORDS) and access.is_clinician(user),
            42,
        )
        navigation.register(
            "Records by crew member",
            "records:show_crew_completeness",
            lambda user: can(user, access.VIEW_CREW_COMPLETENESS),
            57,
        )
        navigation.register(
            "Patient records",
            "records:show_overview",
            lambda user: can(user, access.VIEW_RECORDS),
            56,
            own_work_of=lambda user: has_role(
                user, Role.INFORMATION_GOVERNANCE_LEAD, Role.CLINICAL_AUDIT_LEAD
            ),
        )
