from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "candour.medicines"
    label = "medicines"
    verbose_name = "Medicines"

    def ready(self):
        from candour.core import navigation
        from candour.medicines import access

        access.grant_permissions()
        navigation.register("Controlled drugs", "medicines:list_premises", access.sees_registers, 55)
