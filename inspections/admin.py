"""Admin of the inspection registries and records.

Registries (inspectors, recusals) are edited within the user's region; a plan by its organizer
only, as a draft. Records with legal effect (draws, tasks, results, rectification orders) are
read-only: they change only through their services (the plan, review and rectification pages).
Check items are reference data kept by platform administrators.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.adminmixins import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ScopedHistoryAdmin,
    ScopedInlineMixin,
)

from .models import (
    Authority,
    CheckItem,
    Draw,
    DrawSelection,
    InspectionResult,
    InspectionTask,
    Inspector,
    PlanQuota,
    PlanStatus,
    RectificationOrder,
    Recusal,
    SelectionMode,
    SelfInspectionCampaign,
    SpotCheckPlan,
    TaskAssignment,
)
from .models.plans import CLASS_RATIO_PRESETS
from .services.plans import plan_can_manage, plan_jurisdiction_problems


@admin.register(Authority)
class AuthorityAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "department", "level", "region")
    list_filter = ("department", "level")
    search_fields = ("name",)


@admin.register(Inspector)
class InspectorAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "card_number", "authority", "card_valid_until", "active")
    list_filter = ("active", "authority__department")
    list_select_related = ("authority",)
    search_fields = ("name", "card_number")
    autocomplete_fields = ("authority", "former_employer", "home_county", "user")
    filter_horizontal = ("fields",)


@admin.register(Recusal)
class RecusalAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("inspector", "institution", "kind", "reason", "declared_at")
    list_filter = ("kind",)
    autocomplete_fields = ("inspector", "institution")


@admin.register(CheckItem)
class CheckItemAdmin(ScopedHistoryAdmin):
    list_display = ("code", "name", "subject", "method")
    search_fields = ("code", "name")


def plan_editable(request, plan: SpotCheckPlan | None) -> bool:
    """A plan is edited in the admin by its organizing authority, and only as a draft: once
    published its quotas, weights and rules are public and frozen, and the plan page's actions
    (draw, replacements, publishing results) take over."""
    return plan is None or (plan.status == PlanStatus.DRAFT
                            and plan_can_manage(request.user, plan))


class QuotaInline(ScopedInlineMixin, admin.TabularInline):
    model = PlanQuota
    extra = 0

    def has_add_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_delete_permission(request, obj)


class SpotCheckPlanAdminForm(forms.ModelForm):
    """The plan form, with a choice of ready-made ratios per credit risk class."""

    class_ratio_preset = forms.ChoiceField(
        label=_("preset ratios per class"), required=False,
        choices=[("", "—"), *((key, label) for key, (label, _r) in CLASS_RATIO_PRESETS.items())],
        help_text=_("Fills in the ratio per credit risk class below and selects the "
                    "class-ratio mode."))

    class Meta:
        model = SpotCheckPlan
        fields = "__all__"  # noqa: DJ007 - the admin passes its own field list (get_fields)

    def clean(self):
        data = super().clean()
        if "authority" in data:
            region = data.get("region")
            for field, problem in plan_jurisdiction_problems(
                    authority=data.get("authority"),
                    region_id=region.code if region else None).items():
                self.add_error(field if field in self.fields else None, problem)
        preset = data.get("class_ratio_preset")
        if preset:
            data["class_ratios"] = dict(CLASS_RATIO_PRESETS[preset][1])
            data["selection_mode"] = SelectionMode.CLASS_RATIO
        return data


@admin.register(SpotCheckPlan)
class SpotCheckPlanAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    """Plans: a regulator adds plans of his own authority, within its region, and edits them
    while they are drafts (``writable_by`` = ``managed_by``; the form checks the jurisdiction,
    :func:`inspections.services.plans.plan_jurisdiction_problems`)."""

    form = SpotCheckPlanAdminForm
    list_display = ("title", "year", "authority", "status", "selection_mode", "risk_weighting")
    list_filter = ("status", "year")
    search_fields = ("title",)
    filter_horizontal = ("fields", "participating_authorities", "check_items")
    readonly_fields = ("status", "published_at", "created_by")
    inlines = [QuotaInline]

    def get_fields(self, request, obj=None):
        """The preset sits just before the ratios it fills in."""
        fields = [f for f in super().get_fields(request, obj) if f != "class_ratio_preset"]
        if self.has_change_permission(request, obj):
            fields.insert(fields.index("class_ratios"), "class_ratio_preset")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The organizing authority is the user's own (admins: any)."""
        if db_field.name == "authority" and not request.user.is_platform_admin:
            kwargs["queryset"] = Authority.objects.filter(pk=request.user.authority_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return request.user.is_regulator and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Records with legal effect: the admin shows them and changes nothing."""


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ScopedHistoryAdmin):
    """Records with legal effect that keep history: shown with their history, never changed."""


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("id", "plan", "kind", "status", "pool_size", "created_at", "completed_at")
    list_filter = ("kind", "status")
    exclude = ("pool", "server_seed")


@admin.register(DrawSelection)
class DrawSelectionAdmin(ReadOnlyAdmin):
    list_display = ("draw", "stratum", "rank", "institution")
    list_select_related = ("draw", "institution")


class AssignmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TaskAssignment
    extra = 0
    readonly_fields = ("inspector", "draw", "is_leader", "matched_field", "fallback_reason",
                       "active")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyHistoryAdmin):
    list_display = ("plan", "institution", "stratum", "deadline", "status")
    list_filter = ("status", "plan")
    list_select_related = ("plan", "institution")
    search_fields = ("institution__name", "institution__uscc")
    inlines = [AssignmentInline]


@admin.register(InspectionResult)
class InspectionResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ("task", "category", "follow_up", "checked_on")
    list_filter = ("category", "follow_up")
    list_select_related = ("task__plan", "task__institution")
    search_fields = ("task__institution__name", "task__institution__uscc")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyHistoryAdmin):
    list_display = ("institution", "deadline", "status", "issued_at")
    list_filter = ("status",)
    list_select_related = ("institution",)
    search_fields = ("institution__name", "institution__uscc")


@admin.register(SelfInspectionCampaign)
class SelfInspectionCampaignAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    """A campaign is attached only to a plan the user organizes (its form reaches every
    institution of that plan) and changed by that organizer only (``writable_by``)."""

    list_display = ("title", "due", "plan")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = SpotCheckPlan.objects.managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
