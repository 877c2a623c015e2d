from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Language, Office, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "city"]
    list_filter = ["organisation", "country"]
    search_fields = ["name", "city"]
    list_select_related = ["organisation"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "office", "is_active"]
    list_filter = ["role", "office", "is_active", "is_global_coordinator"]
    list_select_related = ["office__organisation"]
    autocomplete_fields = ["office"]
    filter_horizontal = ["languages", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Case work"), {"fields": ("role", "office", "is_global_coordinator", "languages")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Case work"), {"fields": ("role", "office", "is_global_coordinator")}),
    )
