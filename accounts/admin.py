from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class PlatformAdminOnlyMixin:
    """Only platform administrators open these pages; they may look and delete, not add or
    change (a user enrols his own device on ``accounts:otp_setup``)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_platform_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(PlatformAdminOnlyMixin, BaseTOTPDeviceAdmin):
    """Second-factor devices: a platform administrator deletes a lost one (the user then
    enrols a new one at his next login); the key is never shown (``OTP_ADMIN_HIDE_SENSITIVE_DATA``)."""
