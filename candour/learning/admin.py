"""Learning reference data in Django admin, for system administrators: subjects with their refresher
periods, what each job role must hold, and learning providers. Changes are audited, and a change to a
subject or a requirement recomputes the compliance it affects at once."""

from django.contrib import admin
from django.db import transaction

from candour.learning.models import LearningProvider, Requirement, Subject
from candour.learning.services.training import refresh_compliance
from candour.people.admin import AuditedAdmin
from candour.people.models import Person


def _recompute_for_roles(job_role_ids) -> None:
    people = Person.objects.filter(job_role_id__in=job_role_ids).values_list("pk", flat=True)
    transaction.on_commit(lambda: refresh_compliance(list(people)))


@admin.register(Subject)
class SubjectAdmin(AuditedAdmin):
    list_display = ("name", "code", "group", "level", "refresher_months", "required_hours")
    list_filter = ("group",)
    search_fields = ("name", "code")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute_for_roles(obj.requirements.values_list("job_role_id", flat=True))


@admin.register(Requirement)
class RequirementAdmin(AuditedAdmin):
    list_display = ("job_role", "subject")
    list_filter = ("job_role", "subject__group")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute_for_roles([obj.job_role_id])

    def delete_model(self, request, obj):
        job_role_id = obj.job_role_id
        super().delete_model(request, obj)
        _recompute_for_roles([job_role_id])


@admin.register(LearningProvider)
class LearningProviderAdmin(AuditedAdmin):
    list_display = ("name", "ukprn")
    search_fields = ("name", "ukprn")
