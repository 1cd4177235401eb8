"""Open-data API of the reports app: the ``/api/v1/`` index and the bulk files.

* ``GET /api/v1/`` — the links of every open-data list, the bulk index, the schema and docs.
* ``GET /api/v1/bulk/`` — the daily sets (``reports.opendata``), newest first, paginated: per
  date and dataset the CSV and JSON files' URLs, sizes (bytes), SHA-256 digests and row counts.
* ``GET /api/v1/bulk/{date}/{dataset}.{csv|json}`` — one file, streamed from its private
  folder with ``Content-Type``, ``Content-Disposition: attachment``, ``Content-Length``,
  ``ETag`` (the SHA-256) and ``Repr-Digest`` (RFC 9530). 404 ``{detail}`` when the date has no
  set or the name is not one of its files.

Anonymous, limited per IP (``OPEN_API_RATE``, group ``api.v1``: 429 with ``Retry-After``),
errors in the request's language. Source: seed 000 §十六 (public queries), 一公开.
"""

from __future__ import annotations

import base64
import datetime as dt
import re

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.publicapi import (
    ACCEPT_LANGUAGE,
    OPEN_DATA_TAG,
    PAGE_SIZE_SCHEMA_MAX,
    RETRY_AFTER,
    OpenDataPagination,
    OpenDataThrottle,
    PublicAPIView,
    PublicFileView,
    body_renderer,
    error_responses,
)

from .opendata import DATASETS, FORMATS, days_available, file_entry, manifest_read

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: the ``/api/v1/`` lists, by key of the index
V1_LISTS = {"institutions": "api-v1-institutions", "certificates": "api-v1-certificates",
            "plans": "api-v1-plans", "draws": "api-v1-draws", "results": "api-v1-results",
            "credit_records": "api-v1-credit-records", "bulk": "api-v1-bulk"}


def bulk_file_url(request, day: str, dataset: str, fmt: str) -> str:
    """The absolute URL of one bulk file."""
    return request.build_absolute_uri(reverse("api-v1-bulk-file",
                                              args=[day, f"{dataset}.{fmt}"]))


class OpenDataIndexSerializer(serializers.Serializer):
    """``{institutions, certificates, plans, draws, results, credit_records, bulk, schema,
    docs}``: absolute URLs. Documentation only."""

    institutions = serializers.URLField()
    certificates = serializers.URLField()
    plans = serializers.URLField()
    draws = serializers.URLField()
    results = serializers.URLField()
    credit_records = serializers.URLField()
    bulk = serializers.URLField()
    schema = serializers.URLField()
    docs = serializers.URLField()


class BulkFileSerializer(serializers.Serializer):
    """One bulk file: ``{dataset, format, media_type, url, size, sha256, rows}`` (``size`` in
    bytes, ``sha256`` hex of the whole file, ``rows`` items, header excluded)."""

    dataset = serializers.ChoiceField(choices=list(DATASETS))
    format = serializers.ChoiceField(choices=list(FORMATS))
    media_type = serializers.CharField()
    url = serializers.URLField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField()


class BulkDaySerializer(serializers.Serializer):
    """One day's set: ``{date, generated_at, language, files: [BulkFile]}`` (``language``:
    that of the ``*_label`` columns)."""

    date = serializers.DateField()
    generated_at = serializers.DateTimeField()
    language = serializers.CharField()
    files = BulkFileSerializer(many=True)


class BulkIndexPageSerializer(serializers.Serializer):
    """A page of daily sets: ``{count, next, previous, results: [BulkDay]}``. Documentation
    only."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BulkDaySerializer(many=True)


class OpenDataIndexView(PublicAPIView):
    """``GET /api/v1/``: where everything of the open data is (absolute URLs)."""

    throttle_classes = [OpenDataThrottle]

    @extend_schema(
        operation_id="open_index", tags=[OPEN_DATA_TAG], summary="Open data: the index",
        description="Links of the open-data lists, the bulk files, the schema and the docs. "
                    "Anonymous; limited per IP (429 with `Retry-After`).",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={200: OpenDataIndexSerializer, **error_responses()})
    def get(self, request):
        """The index as JSON."""
        links = {key: request.build_absolute_uri(reverse(name)) for key, name in
                 V1_LISTS.items()}
        links["schema"] = request.build_absolute_uri(reverse("api-schema"))
        links["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(links)


class BulkIndexView(PublicAPIView):
    """``GET /api/v1/bulk/``: the daily sets, newest first, paginated like the lists
    (``?page``, ``?page_size``; 404 past the last page). Each item: :class:`BulkDaySerializer`.
    No database query: the manifests are read from the private folder."""

    throttle_classes = [OpenDataThrottle]

    @extend_schema(
        operation_id="open_bulk_index", tags=[OPEN_DATA_TAG],
        summary="Bulk files: the daily sets with their SHA-256",
        description="One set per day of every dataset (institutions, certificates, plans, "
                    "draws, results, credit-records) as CSV and JSON, newest first: URL, size "
                    "in bytes, SHA-256 and row count of each file. Anonymous; limited per IP "
                    "(429 with `Retry-After`).",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER,
                    OpenApiParameter("page", {"type": "integer", "minimum": 1},
                                     OpenApiParameter.QUERY,
                                     description="Page number (1-based)."),
                    OpenApiParameter("page_size", {"type": "integer", "minimum": 1,
                                                   "maximum": PAGE_SIZE_SCHEMA_MAX},
                                     OpenApiParameter.QUERY,
                                     description="Days per page (default 50, at most 500; "
                                                 "larger is capped).")],
        responses={200: BulkIndexPageSerializer,
                   **error_responses(bad_request=True,
                                     not_found="`page` past the last page, or not a number.")})
    def get(self, request):
        """The page of daily sets as JSON."""
        paginator = OpenDataPagination()
        days = paginator.paginate_queryset(days_available(), request, view=self)
        out = []
        for day in days:
            manifest = manifest_read(day)
            if manifest is None:  # removed meanwhile
                continue
            files = [{"dataset": e["dataset"], "format": e["format"],
                      "media_type": e["media_type"],
                      "url": bulk_file_url(request, manifest["date"], e["dataset"],
                                           e["format"]),
                      "size": e["size"], "sha256": e["sha256"], "rows": e["rows"]}
                     for e in manifest["files"]]
            out.append({"date": manifest["date"], "generated_at": manifest["generated_at"],
                        "language": manifest["language"], "files": files})
        return paginator.get_paginated_response(out)

CSVFileRenderer = body_renderer("text/csv", "csv")
JSONFileRenderer = body_renderer("application/json", "json")


class BulkFileView(PublicFileView):
    """``GET /api/v1/bulk/{date}/{dataset}.{csv|json}``: one bulk file, streamed.

    ``Content-Type`` ``text/csv; charset=utf-8`` (with a BOM) or ``application/json``;
    ``Content-Disposition: attachment; filename="tic-opendata-<dataset>-<date>.<fmt>"``;
    ``ETag`` and ``Repr-Digest`` carry its SHA-256, as the index does. 404 ``{detail}`` for a
    date without a set, an unknown dataset or format."""

    throttle_classes = [OpenDataThrottle]
    renderer_classes = [CSVFileRenderer, JSONFileRenderer]

    @extend_schema(
        operation_id="open_bulk_file", tags=[OPEN_DATA_TAG], summary="One bulk file",
        description="The file of one dataset of one day's set, as listed by `/api/v1/bulk/` "
                    "(its SHA-256 is in the index, the `ETag` and `Repr-Digest`). CSV: UTF-8 "
                    "with BOM, CRLF, formula-like cells prefixed with `'`. Anonymous; limited "
                    "per IP (429 with `Retry-After`).",
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH,
                                     description="The set's date (YYYY-MM-DD)."),
                    OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     enum=[f"{d}.{f}" for d in DATASETS for f in FORMATS],
                                     description="`<dataset>.<csv|json>`."),
                    ACCEPT_LANGUAGE, RETRY_AFTER, OpenApiParameter("format", exclude=True)],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY,
                                                      description="The dataset as CSV."),
                   (200, "application/json"): OpenApiResponse(
                       {"type": "array", "items": {"type": "object"}},
                       description="The dataset as a JSON array of the list's items."),
                   **error_responses(not_found="No such set or file.", file_endpoint=True)})
    def get(self, request, day: str, name: str):
        """Stream the file ``name`` of ``day``'s set (see the class docstring)."""
        dataset, _dot, fmt = name.rpartition(".")
        if not _DAY.match(day) or dataset not in DATASETS or fmt not in FORMATS:
            raise Http404
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            raise Http404 from None
        for _attempt in range(2):  # a regeneration may remove the file between two reads
            found = file_entry(date, dataset, fmt)
            if found is None:
                raise Http404
            entry, path = found
            try:
                handle = open(path, "rb")  # noqa: SIM115 - closed by FileResponse
            except FileNotFoundError:
                continue
            break
        else:
            raise Http404
        response = FileResponse(handle, content_type=entry["media_type"], as_attachment=True,
                                filename=f"tic-opendata-{dataset}-{day}.{fmt}")
        response["ETag"] = f'"{entry["sha256"]}"'
        digest = base64.b64encode(bytes.fromhex(entry["sha256"])).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{digest}:"
        return response
