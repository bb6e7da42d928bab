from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "candour.medicines"
    label = "medicines"
    verbose_name = "Medicines"

    def ready(self):
        from candour.core import navigation, reference_data
        from candour.medicines import access, importers, measures, tasks  # noqa: F401 - they register themselves
        from candour.medicines.reference import ensure_controlled_drugs
        from candour.people.access import has_role
        from candour.people.roles import Role

        reference_data.register("medicines.ControlledDrug", ensure_controlled_drugs)

        access.grant_permissions()
        navigation.register(
            "Controlled drugs",
            "medicines:list_premises",
            access.sees_registers,
            55,
            own_work_of=lambda user: has_role(user, Role.MEDICINES_LEAD, Role.CD_ACCOUNTABLE_OFFICER),
        )
