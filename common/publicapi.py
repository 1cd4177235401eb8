"""Building blocks of the public read-only API (``/api/public/`` and the open-data ``/api/v1/``).

Every public endpoint is anonymous (no authentication class: no session, no CSRF), read-only
(GET/HEAD/OPTIONS), rate-limited per IP, answers JSON errors in the request's language, and
documents in the OpenAPI schema every status it can return. Source: seed 000 §十六 (public
queries), seed 002 §五(三) (publish results), 一公开 (the public record); the issue "Security to
the level of a government system, and an open read API" (open data part).

* :class:`PublicAPIView` — the base view: :class:`RequestLanguageMixin` (language from the
  ``/en/`` path prefix, else ``Accept-Language``, else Simplified Chinese), no authentication,
  ``AllowAny``, JSON only, and a content negotiation that never answers 406.
* :class:`OpenDataThrottle` — the open-data limit: group ``api.v1``, ``OPEN_API_RATE`` per IP
  (default ``"120/m"``), counted by django-ratelimit (:mod:`common.ratelimits`).
* :class:`OpenDataPagination` — ``?page=`` / ``?page_size=`` (default 50, capped at 500; not a
  whole number ≥ 1: 400).
* :class:`StrictFilterBackend` — django-filter, with an empty value of a typed filter a 400;
  :class:`PatternFilter` — a code-like parameter checked against its schema pattern.
* :class:`StableOrderingFilter` — django-filter ordering that always ends on a unique key, so
  pages never overlap; an unknown ordering answers 400 naming ``ordering``.
* OpenAPI pieces: :data:`RETRY_AFTER`, :data:`ACCEPT_LANGUAGE`, :func:`error_responses`.

The language rule: LocaleMiddleware forces the default language on every path outside
``i18n_patterns`` (``prefix_default_language=False``), so the API decides for itself, per
request, before throttling and content negotiation raise anything. The session/cookie language
is deliberately ignored: the API is stateless, and the answer depends only on the URL and the
``Accept-Language`` header (LocaleMiddleware adds ``Vary: Accept-Language``).
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real
from django_filters import CharFilter, NumberFilter, OrderingFilter, TypedChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.mediatypes import media_type_matches, order_by_precedence
from rest_framework.views import APIView

from common import clock

from .ratelimits import RateLimitThrottle

OPEN_API_GROUP = "api.v1"
#: digits only (``str.isdigit`` also takes "²"), at most 18: within a bigint
WHOLE_NUMBER = re.compile(r"^[0-9]{1,18}$")
#: the largest ``page_size`` the schema admits (larger is capped at ``max_page_size``)
PAGE_SIZE_SCHEMA_MAX = 10**18 - 1
DEFAULT_OPEN_API_RATE = "120/m"


def request_language(request) -> str:
    """The language of an API answer: ``en`` under an ``/en/`` path prefix, else the first
    supported language of ``Accept-Language`` (``en-US`` → ``en``, ``zh-CN`` → ``zh-hans``),
    else ``settings.LANGUAGE_CODE`` (``zh-hans``). Never raises."""
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class RequestLanguageMixin:
    """Activate :func:`request_language` before DRF checks throttles and permissions, so every
    error body (``detail``, field errors) is in the request's language. Django's and DRF's
    catalogues translate their own messages; the project's catalogue translates ours."""

    def initial(self, request, *args, **kwargs):
        """Activate the request's language, then DRF's checks (throttles, negotiation)."""
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return super().initial(request, *args, **kwargs)


class FirstRendererNegotiation(DefaultContentNegotiation):
    """Content negotiation of the public endpoints: the first renderer whose media type the
    ``Accept`` header admits, else the view's first renderer — never 406, and ``?format=`` is
    ignored (each public endpoint has one representation per resource)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        """``(renderer, media type)``: the first admitted by ``Accept``, else the first. A
        view with one renderer (most public endpoints: JSON) has nothing to choose, and the
        ``Accept`` header is not parsed."""
        if len(renderers) == 1:
            return renderers[0], renderers[0].media_type
        for media_type_set in order_by_precedence(self.get_accept_list(request)):
            for renderer in renderers:
                if any(media_type_matches(renderer.media_type, accepted)
                       for accepted in media_type_set):
                    return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type


class PublicAPIView(RequestLanguageMixin, APIView):
    """Base of every public endpoint: anonymous (no authentication class, so no session and no
    CSRF), ``AllowAny``, GET/HEAD/OPTIONS only (anything else: 405), JSON, errors in the
    request's language. Subclasses set ``throttle_classes``."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation
    http_method_names = ["get", "head", "options"]


def _open_api_rate(group, request) -> str:
    return getattr(settings, "OPEN_API_RATE", DEFAULT_OPEN_API_RATE)


class OpenDataThrottle(RateLimitThrottle):
    """The open-data API's limit per IP: ``OPEN_API_RATE`` (default ``"120/m"``, read at request
    time) in group ``api.v1``, shared by every ``/api/v1/`` endpoint; past it, 429 with
    ``Retry-After`` (seconds). Off with ``RATELIMIT_ENABLE=False``."""

    group = OPEN_API_GROUP
    rate = staticmethod(_open_api_rate)


class OpenDataPagination(PageNumberPagination):
    """Page-number pagination of the open-data lists: ``{count, next, previous, results}``.

    ``?page=N`` (1-based; a page past the end or not a number answers 404 ``{detail}``),
    ``?page_size=N`` (default 50; larger values are capped at 500; whole datasets are the bulk
    files of ``/api/v1/bulk/``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        """``?page_size`` if given (a whole number ≥ 1, capped at ``max_page_size``), else the
        default; anything else answers 400 naming ``page_size`` (DRF's own falls back to the
        default without a word)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not WHOLE_NUMBER.match(raw) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: [
                _("Give a whole number of at least 1.")]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        """DRF's ``page`` and ``page_size`` parameters, both at least 1."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = PAGE_SIZE_SCHEMA_MAX
        return parameters


class StableOrderingFilter(OrderingFilter):
    """django-filter ``OrderingFilter`` that appends ``tiebreak`` (a unique field, default
    ``pk``) to any ordering asked for, so page boundaries are deterministic. An unknown
    value answers 400 ``{"ordering": [...]}`` (a choice field)."""

    def __init__(self, *args, tiebreak: str = "pk", **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        """Order by the chosen fields, then by the unique ``tiebreak``."""
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, self.tiebreak)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, but a filter given with an empty value (``?valid_on=``)
    answers 400 naming it instead of being ignored: an empty value is not a date, a number or
    a code, and silently returning unfiltered rows would mislead. Free-text filters (a
    ``CharFilter`` on ``icontains``) take an empty value as "any", ``ordering`` as the default
    order."""

    def filter_queryset(self, request, queryset, view):
        """Refuse empty values of typed filters, then filter as django-filter does."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = {}
            for name, spec in filterset_class.base_filters.items():
                values = request.query_params.getlist(name)
                free_text = isinstance(spec, CharFilter) and spec.lookup_expr == "icontains"
                # ``ordering=`` is an empty list (the schema's array): the default order
                if any(v == "" for v in values) and not (free_text or
                                                         isinstance(spec, OrderingFilter)):
                    empty[name] = [_("Give a value, or leave the parameter out.")]
            if empty:
                raise ValidationError(empty)
        return super().filter_queryset(request, queryset, view)


class OpenDataListView(RequestLanguageMixin, ListAPIView):
    """Base of the open-data list endpoints (``/api/v1/…``): what :class:`PublicAPIView` is,
    plus :class:`OpenDataThrottle`, :class:`OpenDataPagination` and django-filter
    (``filterset_class``: a malformed parameter answers 400 naming it). The serializer context
    carries ``today`` (local date), the date public statuses are computed for. Subclasses set
    ``filterset_class``, ``serializer_class`` and ``get_queryset`` (a public selector)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation
    http_method_names = ["get", "head", "options"]
    throttle_classes = [OpenDataThrottle]
    pagination_class = OpenDataPagination
    filter_backends = [StrictFilterBackend]

    def get_serializer_context(self) -> dict:
        """DRF's context plus ``today`` (local date) for the public statuses."""
        return {**super().get_serializer_context(), "today": clock.today()}


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(TypedChoiceFilter):
    """A boolean query parameter that accepts only ``true``/``false`` (or ``1``/``0``) and
    answers 400 naming the parameter for anything else (django-filter's own ``BooleanFilter``
    silently ignores a bad value, which would return unfiltered rows). The filter, or its
    ``method``, receives a ``bool``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false"), ("1", "1"),
                                      ("0", "0")])
        kwargs.setdefault("coerce", lambda value: value in ("true", "1"))
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class PatternFilter(CharFilter):
    """A code-like query parameter: it must match ``pattern`` (a regular expression, also the
    schema's ``pattern``), else 400 with ``message``. What matches the pattern but names
    nothing (a well-formed code of no record) matches no row: the filter searches, it does
    not validate the record. Subclasses set ``pattern`` and ``message`` and decorate
    themselves with :func:`pattern_schema`."""

    pattern = ".*"
    message = _("The value is malformed.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [RegexValidator(self.pattern, self.message)])
        super().__init__(*args, **kwargs)


def pattern_schema(pattern: str):
    """``extend_schema_field`` of a :class:`PatternFilter` subclass: a string of ``pattern``."""
    return extend_schema_field({"type": "string", "pattern": pattern})


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(NumberFilter):
    """A whole-number query parameter (an id, a year): anything else answers 400."""

    field_class = forms.IntegerField


# --- OpenAPI -------------------------------------------------------------------------------

#: the ``Retry-After`` header of a 429 (seconds until the window reopens)
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429],
    description="Seconds to wait before the next request from this IP is accepted.")

#: the request header choosing the language of error messages and labels
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Language of error messages and `*_label` fields (RFC 9110 §12.5.4): the "
                "first supported one of the list — `en` (`en-US` …) or Simplified Chinese "
                "(`zh-hans`, `zh-CN` …); anything else, or none, answers in Simplified "
                "Chinese.")


class ErrorSerializer(serializers.Serializer):
    """``{"detail": "…"}``: DRF's error body (404 not found, 429 throttled), translated."""

    detail = serializers.CharField()


#: ``{"<parameter>": ["message", …]}``: a bad query parameter, named, in the request's language
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "Each bad query parameter with its messages, in the request's language.",
}


def error_responses(*, bad_request: bool = False, not_found: str | None = None,
                    throttled: bool = True, file_endpoint: bool = False) -> dict:
    """The error part of an operation's ``responses`` (drf-spectacular): 400 with the field
    errors when ``bad_request``, 404 ``{detail}`` described by ``not_found`` when given, and
    429 ``{detail}`` (with :data:`RETRY_AFTER`, to add to the operation's parameters) unless
    ``throttled`` is false. With ``file_endpoint`` (an endpoint whose success is not JSON) the
    keys are ``(status, "application/json")``: its errors are still JSON."""
    out: dict = {}
    if bad_request:
        out[400] = OpenApiResponse(FIELD_ERRORS_SCHEMA,
                                   description="A query parameter is malformed; the body names "
                                               "it.")
    if not_found:
        out[404] = OpenApiResponse(ErrorSerializer, description=not_found)
    if throttled:
        out[429] = OpenApiResponse(ErrorSerializer,
                                   description="Too many requests from this IP; see "
                                               "Retry-After.")
    if file_endpoint:
        return {(code, "application/json"): response for code, response in out.items()}
    return out


class BodyRenderer(BaseRenderer):
    """Renders a body that is already bytes or text (a file endpoint returns its own
    ``HttpResponse``; the renderer names the media type for negotiation and the schema)."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """``data`` as bytes (text encoded in UTF-8)."""
        return data if isinstance(data, bytes) else str(data).encode(self.charset)


def body_renderer(media_type: str, fmt: str) -> type[BodyRenderer]:
    """A :class:`BodyRenderer` subclass for ``media_type`` (``text/plain``, …)."""
    return type(f"{fmt.title()}Renderer", (BodyRenderer,), {"media_type": media_type,
                                                           "format": fmt})


class PublicFileView(PublicAPIView):
    """Base of a public endpoint whose success body is a file (TSV, NDJSON, Python, CSV …):
    ``renderer_classes`` name its media type; the view returns its own ``HttpResponse`` or
    ``StreamingHttpResponse``. Errors (404, 400, 429) are still JSON ``{detail}`` in the
    request's language."""

    def finalize_response(self, request, response, *args, **kwargs):
        """Render an error ``Response`` as JSON whatever the file's media type."""
        if isinstance(response, Response):  # an error body: always JSON
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


#: the tag of the open-data operations in the schema
OPEN_DATA_TAG = "open data"


def open_list_schema(*, operation_id: str, summary: str, description: str, serializer):
    """``extend_schema`` of an open-data list: paginated 200 of ``serializer`` items, 400 for
    a malformed filter, 404 for a page past the end, 429 with ``Retry-After``; the
    ``Accept-Language`` header. Filters and pagination parameters come from the view."""
    return extend_schema(
        operation_id=operation_id, tags=[OPEN_DATA_TAG], summary=summary,
        description=description + "\n\nAnonymous; limited per IP (`OPEN_API_RATE`, 429 with "
                                  "`Retry-After`). Errors in the `Accept-Language` language.",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={200: serializer,
                   **error_responses(bad_request=True,
                                     not_found="`page` past the last page, or not a number.")})


# --- errors outside the API's views ---------------------------------------------------------

def _is_api_path(request) -> bool:
    path = request.path_info
    return path.startswith("/api/") or path.startswith("/en/api/")


def api_aware_not_found(request, exception=None):
    """``handler404``: under ``/api/`` (a path no view matched, e.g. ``/api/public/draws/x/``)
    a JSON ``{"detail": …}`` in the request's language, as the API's own 404s; elsewhere
    Django's page."""
    if _is_api_path(request):
        from django.http import JsonResponse

        with translation.override(request_language(request)):
            return JsonResponse({"detail": str(_("Not found."))}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def api_aware_server_error(request):
    """``handler500``: under ``/api/`` a JSON ``{"detail": …}``; elsewhere Django's page."""
    if _is_api_path(request):
        from django.http import JsonResponse

        with translation.override(request_language(request)):
            return JsonResponse({"detail": str(_("A server error occurred."))}, status=500)
    from django.views.defaults import server_error

    return server_error(request)
