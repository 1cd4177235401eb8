from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.adminmixins import ScopedAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "role", "authority", "institution", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("authority", "institution")
    autocomplete_fields = ("authority", "institution")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and jurisdiction"), {"fields": ("role", "authority", "institution")}),
    )
