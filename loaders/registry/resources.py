"""Export of the institution registry through django-import-export, with the sheet's headers.

The columns are those of the registry sheet (:data:`.columns.HEADERS`), so an exported file
imports again unchanged (``registry_import``). The certificate columns show the institution's
latest certificate (by issue date). The resource is export-only: the import does not go through
django-import-export, whose row-by-row ``import_data`` is far too slow for 60,000 rows with
M2M fields (see ``institutions.registry.service``).

Every exported text cell goes through :func:`common.spreadsheets.formula_neutralise` (OWASP
"CSV Injection"): a name like ``=HYPERLINK("http://x")`` is written ``'=HYPERLINK("http://x")``,
in the CSV and in the XLSX (where openpyxl would otherwise store it as a formula); dates stay
dates. The hook is ``Resource.export_field``, which django-import-export 4 calls for each
field of each row (``import_export/resources.py``); its own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``
is not used: it only drops a leading ``=`` (changing the value, leaving ``+ - @``) and turns
every cell into text. The import reads the quote back (``validation.value_problem``).
"""

from __future__ import annotations

from django.db.models import Prefetch
from import_export import fields, resources

from common.spreadsheets import formula_neutralise
from institutions.models import Institution
from qualifications.models import Certificate

from . import columns as C


def _latest_certificate(inst: Institution) -> Certificate | None:
    certs = inst.registry_certificates  # prefetched, newest first
    return certs[0] if certs else None


class InstitutionResource(resources.ModelResource):
    """One row per institution; the columns and cell vocabularies of the registry sheet."""

    name = fields.Field(attribute="name", column_name=C.NAME)
    uscc = fields.Field(attribute="uscc", column_name=C.USCC)
    region = fields.Field(attribute="region_id", column_name=C.REGION)
    testing_fields = fields.Field(column_name=C.FIELDS)
    certificate_number = fields.Field(column_name=C.CERT_NUMBER)
    issued_on = fields.Field(column_name=C.ISSUED)
    valid_until = fields.Field(column_name=C.VALID_UNTIL)
    issuing_authority = fields.Field(column_name=C.AUTHORITY)
    national_centre = fields.Field(column_name=C.NATIONAL_CENTRE)
    nature = fields.Field(column_name=C.NATURE)
    contact_person = fields.Field(attribute="contact_person", column_name=C.CONTACT)
    contact_phone = fields.Field(attribute="contact_phone", column_name=C.PHONE)
    address = fields.Field(attribute="address", column_name=C.ADDRESS)
    credit_class = fields.Field(attribute="credit_class", column_name=C.CREDIT)
    cnas = fields.Field(column_name=C.CNAS)
    permit_mode = fields.Field(column_name=C.PERMIT)

    class Meta:
        model = Institution
        fields = ("name", "uscc", "region", "testing_fields", "certificate_number", "issued_on",
                  "valid_until", "issuing_authority", "national_centre", "nature",
                  "contact_person", "contact_phone", "address", "credit_class", "cnas",
                  "permit_mode")
        export_order = fields
        chunk_size = 2000

    def export_field(self, field, instance, **kwargs):
        """The field's exported value, text neutralised against formula injection."""
        return formula_neutralise(super().export_field(field, instance, **kwargs))

    def filter_export(self, queryset, **kwargs):
        """Load fields and the certificates with the page (no query per row)."""
        return queryset.select_related("primary_field").prefetch_related(
            "fields", Prefetch("certificates", to_attr="registry_certificates",
                               queryset=Certificate.objects.order_by("-issued_on", "-pk")))

    def dehydrate_testing_fields(self, inst: Institution) -> str:
        others = sorted((f for f in inst.fields.all() if f.pk != inst.primary_field_id),
                        key=lambda f: (f.sort_order, f.code))
        return C.FIELD_SEPARATOR.join(f.name for f in [inst.primary_field, *others])

    def dehydrate_certificate_number(self, inst: Institution) -> str:
        cert = _latest_certificate(inst)
        return cert.number if cert else ""

    def dehydrate_issued_on(self, inst: Institution):
        cert = _latest_certificate(inst)
        return cert.issued_on if cert else None

    def dehydrate_valid_until(self, inst: Institution):
        cert = _latest_certificate(inst)
        return cert.valid_until if cert else None

    def dehydrate_issuing_authority(self, inst: Institution) -> str:
        cert = _latest_certificate(inst)
        return cert.issuing_authority if cert else ""

    def dehydrate_permit_mode(self, inst: Institution) -> str:
        cert = _latest_certificate(inst)
        return C.LABEL_BY_PERMIT.get(cert.permit_mode, "") if cert else ""

    def dehydrate_national_centre(self, inst: Institution) -> str:
        return C.YES if inst.is_national_centre else C.NO

    def dehydrate_cnas(self, inst: Institution) -> str:
        return C.YES if inst.cnas_accredited else C.NO

    def dehydrate_nature(self, inst: Institution) -> str:
        return C.LABEL_BY_NATURE.get(inst.nature, "")
