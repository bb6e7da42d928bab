from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "candour.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from candour.core import tasks  # noqa: F401 - registers the platform's periodic jobs
