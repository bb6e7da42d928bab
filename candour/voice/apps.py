from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "candour.voice"
    label = "voice"
    verbose_name = "Staff voice"

    def ready(self):
        from candour.core import navigation
        from candour.voice import access, attention, measures, tasks  # noqa: F401 - they register themselves
        from candour.voice.views import is_lead

        access.grant_permissions()
        navigation.register("Your pulses", "voice:list_my_pulses", lambda user: not is_lead(user), 60)
        navigation.register("Staff voice", "voice:list_pulses", is_lead, 60)
