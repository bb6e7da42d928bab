from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "candour.learning"
    label = "learning"
    verbose_name = "Training, briefings and apprenticeships"

    def ready(self):
        from candour.learning import access, attention, measures, tasks  # noqa: F401 - they register themselves

        access.grant_permissions()
