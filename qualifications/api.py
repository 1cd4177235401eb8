"""Public read-only API: certificate check and test-report-number check (seed 000 §16).

No login, no session (no CSRF, no session query), rate-limited per IP
(:mod:`qualifications.throttling`: 429 with ``Retry-After`` past the limit).

Malformed certificate numbers answer **400** ``{"status": "unknown", "number", "error"}``
rather than a bare 404: such a number cannot exist, and naming the problem (wrong length, a
non-existent province segment, serial 0000) helps the caller fix a typo. ``status`` stays
``"unknown"`` so a client that reads only ``status`` treats both alike. Report numbers are free
text from the institutions, so they have no malformed case: anything unregistered is 404.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import certificate_public_get, report_number_public_get
from .serializers import (
    CertificatePublicSerializer,
    ReportNumberPublicSerializer,
    UnknownSerializer,
)
from .throttling import PublicQueryThrottle
from .validators import certificate_number_problem

TOO_MANY = OpenApiResponse(description="Too many requests from this IP; see Retry-After.")


class PublicAPIView(APIView):
    """Base for the public endpoints: anonymous, read-only, throttled per IP."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicQueryThrottle]
    http_method_names = ["get", "head", "options"]


def _unknown(number: str, status: int = 404, error: str | None = None) -> Response:
    body = {"status": "unknown", "number": number}
    if error is not None:
        body["error"] = str(error)
    return Response(body, status=status)


class CertificatePublicView(PublicAPIView):
    @extend_schema(
        operation_id="public_certificate_check",
        tags=["public"],
        summary="Check a qualification certificate (CMA) number",
        description=(
            "Public certificate check (seed 000 §16). `status` is valid / suspended / revoked / "
            "expired; an unregistered number answers 404 `{status: unknown}`; a malformed "
            "number (not 12 digits, bad authority segment, serial 0000) answers 400 with "
            "`error` naming the problem. Anonymous; limited per IP (429)."),
        parameters=[OpenApiParameter(
            "number", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{12}$",
            description="12-digit certificate number: YY AA FF II SSSS.")],
        responses={
            200: CertificatePublicSerializer,
            400: OpenApiResponse(UnknownSerializer, description="Malformed number.",
                                 examples=[OpenApiExample("malformed", value={
                                     "status": "unknown", "number": "12345",
                                     "error": "must be 12 digits, got '12345'"})]),
            404: OpenApiResponse(UnknownSerializer, description="No such certificate.",
                                 examples=[OpenApiExample("unknown", value={
                                     "status": "unknown", "number": "224407120999"})]),
            429: TOO_MANY,
        },
    )
    def get(self, request, number: str):
        """``GET /api/public/certificates/{number}/``: the certificate as the public sees it."""
        number = number.strip()
        problem = certificate_number_problem(number)
        if problem:
            return _unknown(number, status=400, error=problem)
        certificate = certificate_public_get(number=number)
        if certificate is None:
            return _unknown(number)
        context = {"request": request, "today": timezone.localdate()}
        return Response(CertificatePublicSerializer(certificate, context=context).data)


class ReportNumberPublicView(PublicAPIView):
    @extend_schema(
        operation_id="public_report_number_check",
        tags=["public"],
        summary="Check a test-report number",
        description=(
            "Public test-report-number check (seed 000 §16): the issuing institution and the "
            "certificate the report was issued under, with its public status. An unregistered "
            "number answers 404 `{status: unknown}`. Anonymous; limited per IP (429)."),
        parameters=[OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="Report number as printed on the report.")],
        responses={
            200: ReportNumberPublicSerializer,
            404: OpenApiResponse(UnknownSerializer, description="No such report number."),
            429: TOO_MANY,
        },
    )
    def get(self, request, number: str):
        """``GET /api/public/report-numbers/{number}/``: the registered report number."""
        number = number.strip()
        report = report_number_public_get(number=number)
        if report is None:
            return _unknown(number)
        context = {"request": request, "today": timezone.localdate()}
        return Response(ReportNumberPublicSerializer(report, context=context).data)
