from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "candour.voice"
    label = "voice"
    verbose_name = "Staff voice"

    def ready(self):
        from candour.voice import access

        access.grant_permissions()
