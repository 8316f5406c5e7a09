from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (None, {"fields": ("full_name", "position", "phone", "province")}),
    )
    list_display = ["username", "full_name", "province", "is_active", "is_staff"]


@admin.register(models.Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


class UnitNameInline(admin.TabularInline):
    model = models.UnitName
    extra = 0


@admin.register(models.Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "province", "valid_from", "valid_to"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "code", "search_text"]
    inlines = [UnitNameInline]


@admin.register(models.UnitSuccession)
class UnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_date", "legal_basis"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(models.Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "number", "province", "valid_from", "valid_to"]
    list_filter = ["province", "kind"]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(models.ClusterYear)
class ClusterYearAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "year", "head_unit", "deputy_unit"]
    inlines = [MembershipInline]
    raw_id_fields = ["head_unit", "deputy_unit"]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "province", "cluster_year", "unit"]
    list_filter = ["role", "province"]
    raw_id_fields = ["user", "cluster_year", "unit"]


# Award reference data: the dated multiples and base salaries decisions read their
# cash amounts from (shown read-only to staff and leaders at clusters:reference_data).
class CashMultipleInline(admin.TabularInline):
    model = models.CashMultiple
    extra = 0


@admin.register(models.AwardForm)
class AwardFormAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "collective", "position"]
    inlines = [CashMultipleInline]


@admin.register(models.CashMultiple)
class CashMultipleAdmin(SimpleHistoryAdmin):
    list_display = ["award_form", "valid_from", "multiple", "legal_basis"]
    list_filter = ["award_form"]


@admin.register(models.BaseSalary)
class BaseSalaryAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "amount", "legal_basis"]
