from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "candour.records"
    label = "records"
    verbose_name = "Patient records"

    def ready(self):
        from candour.core import navigation
        from candour.people.access import can
        from candour.records import access, attention  # noqa: F401 - attention registers its cards

        access.grant_permissions()
        navigation.register(
            "Access alerts", "records:list_access_alerts", lambda user: can(user, access.REVIEW_ACCESS), 55
        )
        navigation.register(
            "Patient records",
            "records:show_overview",
            lambda user: can(user, access.VIEW_RECORDS),
            56,
        )
