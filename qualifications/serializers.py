"""Output shapes of the public certificate and report-number checks (seed 000 §16).

Only public data: institution name and USCC, never contacts. The certificate status is
``Certificate.public_status()`` as of ``context["today"]`` (local date when absent).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from institutions.models import Institution, TestingField

from .models import Certificate, CertificateStatus, TestReportNumber

# One enum for every certificate ``status``; the constant statuses below ("registered",
# "unknown") are documented as plain strings so drf-spectacular sees no colliding enum sets.
PUBLIC_STATUS_SCHEMA = {"type": "string", "enum": list(CertificateStatus.values),
                        "description": "Public status (Certificate.public_status)."}


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
        return self.context.get("today") or timezone.localdate()


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
