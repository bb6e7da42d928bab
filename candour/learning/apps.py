from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "candour.learning"
    label = "learning"
    verbose_name = "Training, briefings and apprenticeships"
