"""Admin for certificates and test-report numbers, scoped to the user's jurisdiction.

Querysets go through ``for_user`` (``ScopedAdminMixin``); the institution choices do too, so a
regulator can neither see nor attach another region's institution. Regulators verify
notify-and-commit commitments with the "mark verified" action (seed 000 §17).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from institutions.admin import ScopedAdminMixin
from institutions.models import Institution

from .models import Certificate, PermitMode, TestReportNumber
from .services import certificates_verify


class VerificationFilter(admin.SimpleListFilter):
    """Notify-and-commit verification: awaiting (candidates for checks) or verified."""

    title = _("commitment verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("pending", _("Notify-and-commit, awaiting verification")),
                ("verified", _("Verified"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(permit_mode=PermitMode.NOTIFY_COMMIT,
                                   verified_at__isnull=True)
        if self.value() == "verified":
            return queryset.filter(verified_at__isnull=False)
        return queryset


class ScopedInstitutionChoicesMixin:
    """Limit the ``institution`` foreign key to the institutions the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            kwargs["queryset"] = Institution.objects.for_user(request.user)
        elif db_field.name == "certificate":
            kwargs["queryset"] = Certificate.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Certificate)
class CertificateAdmin(ScopedInstitutionChoicesMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "institution", "permit_mode", "status", "valid_until",
                    "verified_at")
    list_filter = ("status", "permit_mode", VerificationFilter)
    list_select_related = ("institution",)
    search_fields = ("number", "institution__name")
    autocomplete_fields = ("institution",)
    filter_horizontal = ("fields",)
    date_hierarchy = "valid_until"
    readonly_fields = ("verified_at",)
    actions = ["mark_verified"]

    @admin.action(description=_("Mark the commitment verified (notify-and-commit)"),
                  permissions=["verify"])
    def mark_verified(self, request, queryset):
        """Set ``verified_at`` on the selected notify-and-commit certificates not yet verified."""
        changed = certificates_verify(certificates=queryset, user=request.user)
        skipped = queryset.count() - changed
        self.message_user(request, ngettext(
            "%(n)d certificate marked verified.", "%(n)d certificates marked verified.",
            changed) % {"n": changed}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(n)d certificate skipped: not notify-and-commit, or already verified.",
                "%(n)d certificates skipped: not notify-and-commit, or already verified.",
                skipped) % {"n": skipped}, messages.WARNING)

    def has_verify_permission(self, request) -> bool:
        """Regulators (and platform admins) with the change permission may verify."""
        user = request.user
        return ((user.is_platform_admin or user.is_regulator)
                and self.has_change_permission(request))


@admin.register(TestReportNumber)
class TestReportNumberAdmin(ScopedInstitutionChoicesMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "institution", "certificate", "issued_on", "registered_at")
    list_select_related = ("institution", "certificate")
    search_fields = ("number", "institution__name")
    autocomplete_fields = ("institution", "certificate")
    date_hierarchy = "issued_on"
    readonly_fields = ("registered_at",)
