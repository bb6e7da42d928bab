from django.apps import AppConfig


class SpeakupConfig(AppConfig):
    name = "candour.speakup"
    label = "speakup"
    verbose_name = "Speaking up and safeguarding"

    def ready(self):
        from candour.speakup import access, tasks  # noqa: F401 - tasks registers the periodic jobs

        access.grant_permissions()
        from candour.speakup import measures  # noqa: F401
