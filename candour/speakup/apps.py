from django.apps import AppConfig


class SpeakupConfig(AppConfig):
    name = "candour.speakup"
    label = "speakup"
    verbose_name = "Speaking up and safeguarding"

    def ready(self):
        from candour.core import navigation
        from candour.people.access import can, has_role
        from candour.people.roles import Role
        from candour.speakup import access, attention, measures, tasks  # noqa: F401 - they register themselves

        access.grant_permissions()
        navigation.register(
            "Speak up", "speakup:start_concern", lambda user: can(user, access.RAISE), order=10
        )

        # Cases, and the returns made from them, are the safeguarding lead's and the guardian's own work.
        def case_team(user):
            return has_role(user, Role.SAFEGUARDING_LEAD, Role.GUARDIAN)

        navigation.register(
            "Cases", "speakup:list_inbox", access.works_cases, order=20, own_work_of=case_team
        )
        navigation.register(
            "Speak-up reports",
            "speakup:show_guardian_return",
            lambda user: can(user, access.VIEW_REPORTS),
            order=30,
            own_work_of=case_team,
        )
