from django.contrib import admin

from common.adminmixins import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: reports are requested and generated through ``reports.services``."""

    list_display = ("kind", "plan", "authority", "status", "created_at", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("plan", "authority")
    readonly_fields = ("kind", "plan", "authority", "requested_by", "status", "pdf", "xlsx",
                       "error", "language", "created_at", "started_at", "finished_at")
