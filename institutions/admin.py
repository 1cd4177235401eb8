"""Admin of the institution registry: regions and testing fields (reference data, kept by
platform administrators), institutions and their signatories (scoped to the user's region).

The registry workbook's import and export extend the institution admin from ``loaders.admin``:
they write certificates too, which lie above this app.
"""

from django.contrib import admin

from common.adminmixins import ScopedAdminMixin, ScopedHistoryAdmin, ScopedInlineMixin

from .models import AuthorizedSignatory, Institution, Region, TestingField


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(TestingField)
class TestingFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_catch_all", "is_key_field", "sort_order")
    search_fields = ("code", "name")


class SignatoryInline(ScopedInlineMixin, admin.TabularInline):
    model = AuthorizedSignatory
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(ScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "uscc", "region", "primary_field", "is_national_centre", "status",
                    "credit_class")
    list_filter = ("status", "is_national_centre", "credit_class", "nature", "primary_field")
    list_select_related = ("region", "primary_field")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("region",)
    filter_horizontal = ("fields",)
    inlines = [SignatoryInline]
