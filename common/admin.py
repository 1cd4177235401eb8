"""The audit log in the admin: platform administrators read it; nobody changes it."""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .adminmixins import ReadOnlyAdminMixin
from .models import AuditEvent


def _record_type_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class RecordTypeFilter(admin.SimpleListFilter):
    """The record types the log can hold (every model keeping history), by their names in the
    user's language; no query (the log grows to millions of rows)."""

    title = _("record type")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = {m._meta.label_lower for m in apps.get_models()
                  if getattr(m._meta, "simple_history_manager_attribute", None)}
        return sorted(((label, _record_type_name(label)) for label in labels),
                      key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "source", "record_type",
                    "object_id")
    list_filter = ("kind", "source", RecordTypeFilter)
    search_fields = ("username", "object_id", "ip_address")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("record type"), ordering="model")
    def record_type(self, event: AuditEvent) -> str:
        """The record type's name in the user's language (``inspections.inspectionresult`` →
        检查结果), or the stored label when the model no longer exists."""
        return _record_type_name(event.model) if event.model else "-"

    def _administrator(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or getattr(user, "role", "") == "admin")

    def has_module_permission(self, request):
        return self._administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._administrator(request)
