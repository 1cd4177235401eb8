r"""Public read-only API: certificate and test-report-number checks (``/api/public/``), and the
registry's open data (``/api/v1/institutions/``, ``/api/v1/certificates/``) (seed 000 §十六).

No login, no session (no CSRF, no session query), rate-limited per IP: the checks by
:mod:`qualifications.throttling` (``QUALIFICATIONS_PUBLIC_API_RATE``), the open-data lists by
``common.publicapi.OpenDataThrottle`` (``OPEN_API_RATE``, group ``api.v1``); 429 with
``Retry-After`` past the limit. Errors in the request's language (``Accept-Language``).

A certificate number that is not 12 digits answers **400** ``{"status": "unknown", "number",
"error"}`` (the request is outside the schema's ``^\d{12}$``); 12 digits that cannot be a
number (a non-existent authority segment, serial 0000) answer **404** with the same body, the
problem named in ``error`` to help the caller fix a typo; an unregistered number 404 without
``error``. ``status`` stays ``"unknown"`` so a client that reads only ``status`` treats all
alike. Report numbers are free
text from the institutions, so they have no malformed case: anything unregistered is 404.
"""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from common import clock
from common.publicapi import (
    ACCEPT_LANGUAGE,
    RETRY_AFTER,
    OpenDataListView,
    error_responses,
    open_list_schema,
)
from common.publicapi import PublicAPIView as _PublicBase

from .filters import (
    CertificateOpenFilter,
    InstitutionOpenFilter,
    certificates_open,
    institutions_open,
)
from .selectors import certificate_public_get, report_number_public_get
from .serializers import (
    CertificateOpenSerializer,
    CertificatePublicSerializer,
    InstitutionOpenSerializer,
    ReportNumberPublicSerializer,
    UnknownSerializer,
)
from .throttling import PublicQueryThrottle
from .validators import certificate_number_problem

TOO_MANY = error_responses()[429]


class PublicAPIView(_PublicBase):
    """Base for the public checks: anonymous, read-only, JSON, throttled per IP
    (``QUALIFICATIONS_PUBLIC_API_RATE``), errors in the request's language."""

    throttle_classes = [PublicQueryThrottle]


#: the shape of a certificate number (the schema's pattern): anything else is a 400
CERTIFICATE_NUMBER_SHAPE = re.compile(r"^\d{12}$")


def _unknown(number: str, status: int = 404, error: str | None = None) -> Response:
    body = {"status": "unknown", "number": number}
    if error is not None:
        body["error"] = str(error)
    return Response(body, status=status)


class CertificatePublicView(PublicAPIView):
    """``GET /api/public/certificates/{number}/``: the public certificate check (seed 000 §十六):
    200 the certificate, 400 not 12 digits, 404 an impossible (with ``error``) or unregistered
    number, 429 past the limit."""

    @extend_schema(
        operation_id="public_certificate_check",
        tags=["public"],
        summary="Check a qualification certificate (CMA) number",
        description=(
            "Public certificate check (seed 000 §16). `status` is valid / suspended / revoked / "
            "expired; a number that is not 12 digits answers 400, one that cannot exist (bad "
            "authority segment, serial 0000) 404 with `error` naming the problem, an "
            "unregistered one 404 `{status: unknown}`. Anonymous; limited per IP (429)."),
        parameters=[OpenApiParameter(
            "number", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{12}$",
            description="12-digit certificate number: YY AA FF II SSSS."),
            ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={
            200: CertificatePublicSerializer,
            400: OpenApiResponse(UnknownSerializer, description="Not 12 digits.",
                                 examples=[OpenApiExample("malformed", value={
                                     "status": "unknown", "number": "12345",
                                     "error": "must be 12 digits, got '12345'"})]),
            404: OpenApiResponse(UnknownSerializer, description="No such certificate (with "
                                 "`error` when the number cannot exist).",
                                 examples=[OpenApiExample("unknown", value={
                                     "status": "unknown", "number": "224407120999"}),
                                     OpenApiExample("impossible", value={
                                         "status": "unknown", "number": "224407120000",
                                         "error": "serial 0000 is never issued"})]),
            429: TOO_MANY,
        },
    )
    def get(self, request, number: str):
        """``GET /api/public/certificates/{number}/``: the certificate as the public sees it."""
        number = number.strip()
        problem = certificate_number_problem(number)
        if problem:
            status = 404 if CERTIFICATE_NUMBER_SHAPE.match(number) else 400
            return _unknown(number, status=status, error=problem)
        certificate = certificate_public_get(number=number)
        if certificate is None:
            return _unknown(number)
        # the serializer's shape without the serializer (it documents the schema): one query,
        # then a dict
        return Response(certificate.as_json(clock.today()))


class ReportNumberPublicView(PublicAPIView):
    """``GET /api/public/report-numbers/{number}/``: the public test-report-number check (seed
    000 §十六): 200 the registered number, 404 an unregistered one, 429 past the limit."""

    @extend_schema(
        operation_id="public_report_number_check",
        tags=["public"],
        summary="Check a test-report number",
        description=(
            "Public test-report-number check (seed 000 §16): the issuing institution and the "
            "certificate the report was issued under, with its public status. An unregistered "
            "number answers 404 `{status: unknown}`. Anonymous; limited per IP (429)."),
        parameters=[OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="Report number as printed on the report."),
                    ACCEPT_LANGUAGE, RETRY_AFTER],
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
        context = {"request": request, "today": clock.today()}
        return Response(ReportNumberPublicSerializer(report, context=context).data)


class InstitutionOpenList(OpenDataListView):
    """``GET /api/v1/institutions/``: the registry's institutions, public fields only.

    Items: :class:`qualifications.serializers.InstitutionOpenSerializer`. Filters:
    :class:`qualifications.filters.InstitutionOpenFilter`. Three queries per page plus the
    count (rows with region and primary field joined, fields, certificates)."""

    serializer_class = InstitutionOpenSerializer
    filterset_class = InstitutionOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return institutions_open()

    @open_list_schema(
        operation_id="open_institutions_list", serializer=InstitutionOpenSerializer,
        summary="Testing institutions (public registry fields)",
        description=(
            "The registry of testing institutions (seed 000 §十六): USCC, name, region (code, "
            "own name, full name), status, national-centre flag, testing fields and a summary "
            "of the certificates with their public status today. Never contacts, phones or "
            "addresses. Ordered by USCC unless `ordering` says otherwise."))
    def get(self, request, *args, **kwargs):
        """The page of institutions matching the filters (see the class docstring)."""
        return super().get(request, *args, **kwargs)


class CertificateOpenList(OpenDataListView):
    """``GET /api/v1/certificates/``: the qualification certificates (CMA).

    Items: :class:`qualifications.serializers.CertificateOpenSerializer` (with the scope text
    ``scope_summary``). Filters: :class:`qualifications.filters.CertificateOpenFilter`. Two
    queries per page plus the count."""

    serializer_class = CertificateOpenSerializer
    filterset_class = CertificateOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return certificates_open()

    @open_list_schema(
        operation_id="open_certificates_list", serializer=CertificateOpenSerializer,
        summary="Qualification certificates (CMA)",
        description=(
            "Every qualification certificate (seed 000 §十六): number, institution (USCC, name), "
            "issuing authority, level (national when `number[2:4]` is `00`, else provincial), "
            "permit mode, testing fields, issue and end dates, the public status today "
            "(`valid`, `suspended`, `revoked`, `expired` — a valid certificate past its end "
            "date is expired) and the scope text. Ordered by number unless `ordering` says "
            "otherwise."))
    def get(self, request, *args, **kwargs):
        """The page of certificates matching the filters (see the class docstring)."""
        return super().get(request, *args, **kwargs)
