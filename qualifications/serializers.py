"""Output shapes of the public certificate and report-number checks (seed 000 §16).

Only public data: institution name and USCC, never contacts. The certificate status is
``Certificate.public_status()`` as of ``context["today"]`` (local date when absent).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common import clock
from institutions.models import Institution, TestingField

from .models import Certificate, CertificateStatus, TestReportNumber

# One enum for every certificate ``status``; the constant statuses below ("registered",
# "unknown") are documented as plain strings so drf-spectacular sees no colliding enum sets.
PUBLIC_STATUS_SCHEMA = serializers.ChoiceField(choices=CertificateStatus.choices,
                                              help_text="Public status (Certificate.public_status).")


class InstitutionPublicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["name", "uscc"]


class TestingFieldPublicSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestingField
        fields = ["code", "name"]


class _PublicStatusMixin:
    def _today(self):
        return self.context.get("today") or clock.today()


class CertificatePublicSerializer(_PublicStatusMixin, serializers.ModelSerializer):
    """A certificate as the public check shows it.

    ``{number, status, status_label, institution: {name, uscc}, valid_from, valid_until,
    fields: [{code, name}], issuing_authority, permit_mode, permit_mode_label, scope}``.
    """

    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    institution = InstitutionPublicSerializer(read_only=True)
    valid_from = serializers.DateField(source="issued_on", read_only=True)
    fields = TestingFieldPublicSerializer(many=True, read_only=True)
    permit_mode_label = serializers.CharField(source="get_permit_mode_display", read_only=True)
    scope = serializers.CharField(source="scope_summary", read_only=True)

    class Meta:
        model = Certificate
        fields = ["number", "status", "status_label", "institution", "valid_from",
                  "valid_until", "fields", "issuing_authority", "permit_mode",
                  "permit_mode_label", "scope"]
        read_only_fields = fields

    @extend_schema_field(PUBLIC_STATUS_SCHEMA)
    def get_status(self, obj: Certificate) -> str:
        return str(obj.public_status(self._today()))

    def get_status_label(self, obj: Certificate) -> str:
        return str(obj.public_status_label(self._today()))


class CertificateStatusSerializer(_PublicStatusMixin, serializers.Serializer):
    """``{number, status}`` of the certificate a test report was issued under."""

    number = serializers.CharField()
    status = serializers.SerializerMethodField()

    @extend_schema_field(PUBLIC_STATUS_SCHEMA)
    def get_status(self, obj: Certificate) -> str:
        return str(obj.public_status(self._today()))


class ReportNumberPublicSerializer(serializers.ModelSerializer):
    """A registered test-report number: ``{number, status: "registered", institution: {name,
    uscc}, certificate: {number, status} | null, issued_on}``."""

    status = serializers.SerializerMethodField()
    institution = InstitutionPublicSerializer(read_only=True)
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = TestReportNumber
        fields = ["number", "status", "institution", "certificate", "issued_on"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "description": 'Always "registered".'})
    def get_status(self, obj: TestReportNumber) -> str:
        return "registered"

    @extend_schema_field(CertificateStatusSerializer(allow_null=True))
    def get_certificate(self, obj: TestReportNumber) -> dict | None:
        if obj.certificate is None:
            return None
        return CertificateStatusSerializer(obj.certificate, context=self.context).data


class UnknownSerializer(serializers.Serializer):
    """The answer for a number that is not registered: ``{status: "unknown", number}``; a
    malformed certificate number adds ``error`` naming the problem."""

    status = serializers.SerializerMethodField()
    number = serializers.CharField()
    error = serializers.CharField(required=False)

    @extend_schema_field({"type": "string", "description": 'Always "unknown".'})
    def get_status(self, obj) -> str:
        return "unknown"


# --- open data (/api/v1/): the registry's public fields ------------------------------------
# Source: seed 000 §十六 (public queries of institutions and certificates). Never contacts,
# phones, addresses or the recorded credit class: those are not public.

def certificate_level(number: str) -> str:
    """``"national"`` when the number's issuing-authority segment (``number[2:4]``) is ``00``
    (SAMR), else ``"provincial"`` (seed 003 §3, ``qualifications.validators``)."""
    return "national" if number[2:4] == "00" else "provincial"


LEVEL_SCHEMA = {"type": "string", "enum": ["national", "provincial"],
                "description": 'Issuing level: "national" when number[2:4] == "00", else '
                               '"provincial".'}


class CertificateSummarySerializer(_PublicStatusMixin, serializers.ModelSerializer):
    """One certificate in an institution's summary: ``{number, level, status, valid_until}``."""

    level = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["number", "level", "status", "valid_until"]
        read_only_fields = fields

    @extend_schema_field(LEVEL_SCHEMA)
    def get_level(self, obj: Certificate) -> str:
        """See :func:`certificate_level`."""
        return certificate_level(obj.number)

    @extend_schema_field(PUBLIC_STATUS_SCHEMA)
    def get_status(self, obj: Certificate) -> str:
        """``Certificate.public_status`` as of the context's ``today``."""
        return str(obj.public_status(self._today()))


class InstitutionOpenSerializer(serializers.ModelSerializer):
    """An institution of the registry as open data (public fields only).

    ``{uscc, name, region_code, region_name, region_full_name, status, status_label,
    is_national_centre, primary_field, fields: [{code, name}], certificates: [{number, level,
    status, valid_until}]}``: ``region_full_name`` joins province, city and county names
    ("广东省广州市荔湾区"); ``primary_field`` is the 2-digit code of the first registered field
    (the draw stratum); ``certificates`` are ordered by number, with the public status as of
    ``context["today"]``. Needs ``region__parent__parent`` and ``primary_field`` joined and
    ``fields`` and ``certificates`` prefetched (:func:`qualifications.filters.institutions_open`).
    """

    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    region_full_name = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    primary_field = serializers.CharField(source="primary_field.code", read_only=True)
    fields = TestingFieldPublicSerializer(many=True, read_only=True)
    certificates = CertificateSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Institution
        fields = ["uscc", "name", "region_code", "region_name", "region_full_name", "status",
                  "status_label", "is_national_centre", "primary_field", "fields",
                  "certificates"]
        read_only_fields = fields

    def get_region_full_name(self, obj: Institution) -> str:
        """Province, city and county names joined, top first."""
        names = []
        region = obj.region
        while region is not None:
            names.append(region.name)
            region = region.parent
        return "".join(reversed(names))


class CertificateOpenSerializer(_PublicStatusMixin, serializers.ModelSerializer):
    """A qualification certificate as open data.

    ``{number, institution: {uscc, name}, issuing_authority, level, permit_mode,
    permit_mode_label, fields: [{code, name}], issued_on, valid_until, status, status_label,
    scope_summary}``; ``status`` is ``Certificate.public_status`` as of ``context["today"]``
    (a valid certificate past ``valid_until`` is ``expired``); ``scope_summary`` is the scope
    text as registered (a parameter library comes later).
    """

    institution = InstitutionPublicSerializer(read_only=True)
    level = serializers.SerializerMethodField()
    permit_mode_label = serializers.CharField(source="get_permit_mode_display", read_only=True)
    fields = TestingFieldPublicSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["number", "institution", "issuing_authority", "level", "permit_mode",
                  "permit_mode_label", "fields", "issued_on", "valid_until", "status",
                  "status_label", "scope_summary"]
        read_only_fields = fields

    @extend_schema_field(LEVEL_SCHEMA)
    def get_level(self, obj: Certificate) -> str:
        """See :func:`certificate_level`."""
        return certificate_level(obj.number)

    @extend_schema_field(PUBLIC_STATUS_SCHEMA)
    def get_status(self, obj: Certificate) -> str:
        """``Certificate.public_status`` as of the context's ``today``."""
        return str(obj.public_status(self._today()))

    def get_status_label(self, obj: Certificate) -> str:
        """The translated label of the public status."""
        return str(obj.public_status_label(self._today()))
