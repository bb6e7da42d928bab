from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "candour.fleet"
    label = "fleet"
    verbose_name = "Fleet and equipment"

    def ready(self):
        from candour.core import navigation, reference_data
        from candour.fleet import access, attention, importers, measures  # noqa: F401 - they register themselves
        from candour.fleet.reference import ensure_checklists, ensure_loler_intervals
        from candour.people.access import can, has_role
        from candour.people.roles import Role

        reference_data.register("fleet.LolerInterval", ensure_loler_intervals)
        reference_data.register("fleet.ChecklistItem", ensure_checklists)

        access.grant_permissions()
        navigation.register(
            "Fleet",
            "fleet:show_overdue",
            lambda user: can(user, access.VIEW_FLEET),
            65,
            own_work_of=lambda user: has_role(user, Role.FLEET_LEAD),
        )
        navigation.register(
            "Vehicle checks",
            "fleet:list_vehicle_checks",
            lambda user: can(user, access.CHECK_VEHICLES) and not can(user, access.VIEW_FLEET),
            65,
        )
        navigation.register(
            "Bariatric provision",
            "fleet:show_bariatric_provision",
            lambda user: can(user, access.VIEW_BARIATRIC) and not can(user, access.VIEW_FLEET),
            65,
        )
