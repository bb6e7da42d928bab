"""Operations reference data in Django admin, for system administrators: the hospitals the CAD incidents
feed checks destinations against. Changes are audited."""

from django.contrib import admin

from candour.operations.models import Hospital
from candour.people.admin import AuditedAdmin


@admin.register(Hospital)
class HospitalAdmin(AuditedAdmin):
    list_display = ("name", "code", "acute_trust", "active")
    list_filter = ("active",)
    search_fields = ("name", "code", "acute_trust")
