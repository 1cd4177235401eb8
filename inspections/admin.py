from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from institutions.admin import ReadOnlyAdminMixin, ScopedAdminMixin

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
from .services.draws import plan_can_manage


@admin.register(Authority)
class AuthorityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "department", "level", "region")
    list_filter = ("department", "level")
    search_fields = ("name",)


@admin.register(Inspector)
class InspectorAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "card_number", "authority", "card_valid_until", "active")
    list_filter = ("active", "authority__department")
    list_select_related = ("authority",)
    search_fields = ("name", "card_number")
    autocomplete_fields = ("authority", "former_employer", "home_county", "user")
    filter_horizontal = ("fields",)


@admin.register(Recusal)
class RecusalAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("inspector", "institution", "kind", "reason", "declared_at")
    list_filter = ("kind",)
    autocomplete_fields = ("inspector", "institution")


@admin.register(CheckItem)
class CheckItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "subject", "method")
    search_fields = ("code", "name")


def plan_editable(request, plan: SpotCheckPlan | None) -> bool:
    """A plan is edited in the admin by its organizing authority (or an admin), and only as a
    draft: once published its quotas, weights and rules are public and frozen, and the plan
    page's actions (draw, replacements, publishing results) take over."""
    return plan is None or (plan.status == PlanStatus.DRAFT
                            and plan_can_manage(request.user, plan))


class QuotaInline(admin.TabularInline):
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
        preset = data.get("class_ratio_preset")
        if preset:
            data["class_ratios"] = dict(CLASS_RATIO_PRESETS[preset][1])
            data["selection_mode"] = SelectionMode.CLASS_RATIO
        return data


@admin.register(SpotCheckPlan)
class SpotCheckPlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = SpotCheckPlanAdminForm
    list_display = ("title", "year", "authority", "status", "selection_mode", "risk_weighting")
    list_filter = ("status", "year")
    search_fields = ("title",)
    filter_horizontal = ("fields", "participating_authorities", "check_items")
    inlines = [QuotaInline]

    def get_fields(self, request, obj=None):
        """The preset sits just before the ratios it fills in."""
        fields = [f for f in super().get_fields(request, obj) if f != "class_ratio_preset"]
        if self.has_change_permission(request, obj):
            fields.insert(fields.index("class_ratios"), "class_ratio_preset")
        return fields

    def has_change_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return plan_editable(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Draw records are append-only: the admin shows them and changes nothing."""


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("id", "plan", "kind", "status", "pool_size", "created_at", "completed_at")
    list_filter = ("kind", "status")
    exclude = ("pool", "server_seed")


@admin.register(DrawSelection)
class DrawSelectionAdmin(ReadOnlyAdmin):
    list_display = ("draw", "stratum", "rank", "institution")
    list_select_related = ("draw", "institution")

    def get_queryset(self, request):
        return DrawSelection.objects.filter(
            draw__in=Draw.objects.for_user(request.user)).select_related("draw", "institution")


class AssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    can_delete = False
    readonly_fields = ("inspector", "draw", "is_leader", "matched_field", "fallback_reason",
                       "active")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectionTask)
class InspectionTaskAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("plan", "institution", "stratum", "deadline", "status")
    list_filter = ("status", "plan")
    list_select_related = ("plan", "institution")
    readonly_fields = ("plan", "institution", "draw", "stratum", "field")
    inlines = [AssignmentInline]


@admin.register(InspectionResult)
class InspectionResultAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("task", "category", "follow_up", "checked_on", "published")
    list_filter = ("category", "follow_up", "published")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("institution", "deadline", "status", "issued_at")
    list_filter = ("status",)


@admin.register(SelfInspectionCampaign)
class SelfInspectionCampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "due", "plan")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A campaign is attached only to a plan the user organizes: its form reaches every
        institution of that plan."""
        if db_field.name == "plan":
            kwargs["queryset"] = SpotCheckPlan.objects.managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        """A campaign of a plan is changed by the plan's organizer (or an admin) only."""
        if obj is not None and obj.plan_id and not plan_can_manage(request.user, obj.plan):
            return False
        return super().has_change_permission(request, obj)
