from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "candour.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from candour.operations import access

        access.grant_permissions()
