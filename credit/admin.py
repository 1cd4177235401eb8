"""Admin for the credit file. Credit events are read-only here: they are written by services
(``credit.services.credit_event_record``) so that their source is never skipped."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from institutions.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from institutions.models import Institution

from .models import CreditEvent, RiskClassification


@admin.register(CreditEvent)
class CreditEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("institution", "kind", "occurred_on", "is_public", "recorded_at")
    list_filter = ("kind", "is_public")
    list_select_related = ("institution",)
    search_fields = ("institution__name", "institution__uscc")
    date_hierarchy = "occurred_on"
    raw_id_fields = ("institution", "source_task")


@admin.register(RiskClassification)
class RiskClassificationAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "risk_class", "assessed_on", "basis")
    list_filter = ("risk_class",)
    list_select_related = ("institution",)
    search_fields = ("institution__name", "institution__uscc")
    raw_id_fields = ("institution",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            institution__in=Institution.objects.for_user(request.user))
