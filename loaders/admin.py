"""The registry workbook in the admin: import (our own, all rows or none) and export
(django-import-export with the registry sheet's headers), added to the institution admin.

They write and read certificates as well as institutions, so they live here, above both apps,
and extend ``institutions.admin.InstitutionAdmin`` rather than living in it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from common.adminmixins import ScopedAdminMixin
from common.uploads import upload_refused_message
from institutions.admin import InstitutionAdmin
from institutions.models import Institution, RegistryImport

from .registry import columns, registry_import
from .registry.problems import REPORT_LIMIT
from .registry.resources import InstitutionResource


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registry file"),
        help_text=_("An Excel workbook (.xlsx) or a UTF-8 CSV file with the columns of the "
                    "registry sheet. All rows are imported, or none."))


def _report_html(record: RegistryImport) -> str:
    # render_to_string escapes every value; the result is HTML to embed as is.
    html = render_to_string("admin/institutions/registryimport/report.html",
                            {"record": record, "problem_limit": REPORT_LIMIT})
    return mark_safe(html)


admin.site.unregister(Institution)


@admin.register(Institution)
class InstitutionRegistryAdmin(ExportMixin, InstitutionAdmin):
    """The institution admin with the registry workbook's import and export."""

    # Export (django-import-export) with the registry sheet's headers; import: see below.
    resource_classes = [InstitutionResource]
    import_export_change_list_template = "admin/institutions/institution/change_list_registry.html"

    def get_export_formats(self):
        return [base_formats.XLSX, base_formats.CSV]

    def has_export_permission(self, request):
        """Whoever may view institutions may export the ones he sees (the scoped queryset)."""
        return self.has_view_permission(request)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_registry_view)
        return [path("import-registry/", view,
                     name="institutions_institution_import_registry"), *super().get_urls()]

    def import_registry_view(self, request):
        """Upload a registry sheet (needs ``add_institution``); shows the report afterwards.

        POST runs :func:`loaders.registry.registry_import` with the request user (a regulator
        is bound to his region) and redirects to this page with ``?record=<id>``, which shows
        that import's report (only to those who may see it).
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        visible = RegistryImport.objects.for_user(request.user)
        if request.method == "POST":
            form = RegistryUploadForm(request.POST, request.FILES)
            refused = upload_refused_message(request, "file")
            if refused:
                form.errors.clear()
                form.add_error("file", refused)
            elif form.is_valid():
                upload = form.cleaned_data["file"]
                record = registry_import(file=upload, filename=upload.name, user=request.user)
                if record.succeeded:
                    messages.success(request, gettext(
                        "Imported %(rows)d rows: %(created)d institutions created, %(updated)d "
                        "updated, %(unchanged)d unchanged.") % {
                        "rows": record.row_count, "created": record.created_count,
                        "updated": record.updated_count, "unchanged": record.unchanged_count})
                else:
                    messages.error(request, gettext(
                        "The file was rejected with %(n)d problems; nothing was imported.") % {
                        "n": record.problem_count})
                url = reverse("admin:institutions_institution_import_registry")
                return HttpResponseRedirect(f"{url}?record={record.pk}")
        else:
            form = RegistryUploadForm()
        record = None
        if request.GET.get("record", "").isdigit():
            record = visible.filter(pk=request.GET["record"]).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import registry"),
            "form": form,
            "record": record,
            "report": _report_html(record) if record else "",
            "recent": visible.select_related("uploaded_by")[:10],
            "headers": columns.HEADERS,
            "required": columns.REQUIRED,
            "can_view_imports": RegistryImportAdmin.may_view(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/institutions/institution/import_registry.html",
                                context)


@admin.register(RegistryImport)
class RegistryImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only list of registry imports with their reports (a regulator sees his own)."""

    list_display = ("started_at", "file_name", "uploaded_by", "status", "row_count",
                    "created_count", "updated_count", "unchanged_count", "problem_count")
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name",)
    date_hierarchy = "started_at"
    fields = ("file_name", "uploaded_by", "status", "started_at", "finished_at", "row_count",
              "created_count", "updated_count", "unchanged_count", "certificates_created",
              "certificates_updated", "problem_count", "report")
    readonly_fields = fields

    @staticmethod
    def may_view(request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and (
            user.has_perm("institutions.view_registryimport")
            or user.has_perm("institutions.add_institution"))

    def has_module_permission(self, request):
        return self.may_view(request)

    def has_view_permission(self, request, obj=None):
        return self.may_view(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("report"))
    def report(self, obj: RegistryImport) -> str:
        return _report_html(obj)
