"""Admin for certificates and test-report numbers, scoped to the user's jurisdiction.

Querysets go through ``for_user`` (``ScopedAdminMixin``); the institution choices go through
``writable_by``, so a regulator can neither see nor attach another region's institution.
Regulators verify notify-and-commit commitments with the "mark verified" action (seed 000 §17).
A certificate's status changes only through ``qualifications.services`` (expiry), never in the
change form.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.adminmixins import ScopedAdminMixin, ScopedHistoryAdmin

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


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("number", "institution", "permit_mode", "status", "valid_until",
                    "verified_at")
    list_filter = ("status", "permit_mode", VerificationFilter)
    list_select_related = ("institution",)
    search_fields = ("number", "institution__name")
    autocomplete_fields = ("institution",)
    filter_horizontal = ("fields",)
    date_hierarchy = "valid_until"
    readonly_fields = ("status", "verified_at")
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
class TestReportNumberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "institution", "certificate", "issued_on", "registered_at")
    list_select_related = ("institution", "certificate")
    search_fields = ("number", "institution__name")
    autocomplete_fields = ("institution", "certificate")
    date_hierarchy = "issued_on"
    readonly_fields = ("registered_at",)
