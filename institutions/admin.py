from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AuthorizedSignatory, Institution, Region, TestingField


class ScopedAdminMixin:
    """Admin querysets go through the model's scoping selector ``for_user``."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.for_user(request.user) if hasattr(qs, "for_user") else qs


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(TestingField)
class TestingFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_catch_all", "is_key_field", "sort_order")
    search_fields = ("code", "name")


class SignatoryInline(admin.TabularInline):
    model = AuthorizedSignatory
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "uscc", "region", "primary_field", "is_national_centre", "status",
                    "credit_class")
    list_filter = ("status", "is_national_centre", "credit_class", "nature", "primary_field")
    list_select_related = ("region", "primary_field")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("region",)
    filter_horizontal = ("fields",)
    inlines = [SignatoryInline]
