"""Django admin, for system administrators, over reference data only. Every change is audited."""

from django.contrib import admin

from candour.core import audit
from candour.people.models import CoreService, JobRole, OrgUnit

admin.site.site_header = "Candour reference data"
admin.site.site_title = "Candour reference data"
admin.site.index_title = "Reference data"


class AuditedAdmin(admin.ModelAdmin):
    """Reference-data changes go to the audit log like any other change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {name: form.cleaned_data.get(name) for name in form.changed_data}
        audit.record(
            action="updated" if change else "created", actor=request.user, target=obj, changes=changed
        )

    def delete_model(self, request, obj):
        audit.record(action="deleted", actor=request.user, target=obj, summary=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(CoreService)
class CoreServiceAdmin(AuditedAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(JobRole)
class JobRoleAdmin(AuditedAdmin):
    list_display = ("name", "code", "professional_group", "is_clinical")
    list_filter = ("professional_group", "is_clinical")
