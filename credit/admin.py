"""Admin of the credit file. Credit events and risk classifications are read-only here: they
are written by services (``credit.services``) so that their source, history and effects are
never skipped."""

from django.contrib import admin

from common.adminmixins import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedHistoryAdmin

from .models import CreditEvent, RiskClassification


@admin.register(CreditEvent)
class CreditEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("institution", "kind", "occurred_on", "is_public", "recorded_at")
    list_filter = ("kind", "is_public")
    list_select_related = ("institution",)
    search_fields = ("institution__name", "institution__uscc")
    date_hierarchy = "occurred_on"


@admin.register(RiskClassification)
class RiskClassificationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("institution", "risk_class", "assessed_on", "basis")
    list_filter = ("risk_class",)
    list_select_related = ("institution",)
    search_fields = ("institution__name", "institution__uscc")
