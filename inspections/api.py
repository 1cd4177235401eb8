"""Public read-only API (no login) of the public record (一公开).

``/api/public/``: published draws and their pools, the verifier, a plan's published results,
and the public ledger (docs/draw.md §8–9). ``/api/v1/``: open-data lists of published plans,
their draws and the published results (seed 002 §五(三): publish the results).

Every view is a DRF view on ``common.publicapi`` (anonymous, no session, GET only, errors as
JSON in the request's language) so that the schema at ``/api/schema/`` documents it, files
included: ``text/plain`` pools and specification, ``text/x-python`` verifier,
``application/x-ndjson`` ledger. Limits per IP: the JSON records :class:`PublicThrottle`
(``INSPECTIONS_PUBLIC_API_RATE``, default 120 per minute), the files :class:`PublicFileThrottle`
(``INSPECTIONS_PUBLIC_FILES_RATE``, default 300 per minute), the open-data lists
``OPEN_API_RATE``; 429 with ``Retry-After`` past them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.publicapi import (
    ACCEPT_LANGUAGE,
    RETRY_AFTER,
    OpenDataListView,
    PublicAPIView,
    PublicFileView,
    body_renderer,
    error_responses,
    open_list_schema,
)
from common.ratelimits import RateLimitThrottle

from .filters import (
    DrawOpenFilter,
    PlanOpenFilter,
    ResultOpenFilter,
    draws_open,
    plans_open,
    results_open,
)
from .models import Draw, LedgerEntry, SpotCheckPlan
from .publication import draw_record, plan_results_record
from .serializers import (
    DrawOpenSerializer,
    DrawRecordSchema,
    LedgerHeadSchema,
    PlanOpenSerializer,
    PlanResultsSchema,
    ResultOpenSerializer,
)

TAG = "public record"
#: ``?after=`` of the ledger: a sequence number, digits only (``"²".isdigit()`` is true), within
#: a bigint
LEDGER_SEQ = re.compile(r"^[0-9]{1,18}$")
LEDGER_SEQ_MAX = 10**18 - 1


def _records_rate(group, request) -> str:
    return getattr(settings, "INSPECTIONS_PUBLIC_API_RATE", "120/m")


class PublicThrottle(RateLimitThrottle):
    """The JSON records' limit per IP: ``INSPECTIONS_PUBLIC_API_RATE`` (default ``"120/m"``),
    group ``inspections.public_api``. On django-ratelimit like every public limit
    (``common.ratelimits``): the client is ``REMOTE_ADDR`` (or ``RATELIMIT_IP_META_KEY``
    behind a proxy), never a client-supplied ``X-Forwarded-For``, and
    ``RATELIMIT_ENABLE=False`` switches it off."""

    group = "inspections.public_api"
    rate = staticmethod(_records_rate)


def _files_rate(group, request) -> str:
    return getattr(settings, "INSPECTIONS_PUBLIC_FILES_RATE", "300/m")


class PublicFileThrottle(RateLimitThrottle):
    """The public files' limit per IP (pools, verifier, ledger, key):
    ``INSPECTIONS_PUBLIC_FILES_RATE`` (default ``"300/m"``), group
    ``inspections.public_files``."""

    group = "inspections.public_files"
    rate = staticmethod(_files_rate)


TextRenderer = body_renderer("text/plain", "txt")
PythonRenderer = body_renderer("text/x-python", "py")
NDJSONRenderer = body_renderer("application/x-ndjson", "jsonl")


def _id(description: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                            description=description)


def _published_draw(pk: int) -> Draw:
    """The draw ``pk`` of a published plan, or 404."""
    return get_object_or_404(Draw.objects.published().select_related(
        "plan", "replacement_request__requested_by__authority",
        "replacement_request__decided_by__authority"), pk=pk)


def _text(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


class DrawDetailView(PublicAPIView):
    """``GET /api/public/draws/{id}/``: the draw record (``inspections.publication.draw_record``).

    Before the draw: commitment, pool digests, parameters, algorithm version. After: also the
    external value, server seed, seed and the selection. 404 for a draw of an unpublished plan.
    """

    throttle_classes = [PublicThrottle]

    @extend_schema(
        operation_id="public_draw_detail", tags=[TAG], summary="A published draw",
        description="The draw record of docs/draw.md §8. 404 for a draw of an unpublished "
                    "plan or no such draw.",
        parameters=[_id("Draw id."), ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={200: DrawRecordSchema,
                   **error_responses(not_found="No such draw of a published plan.")})
    def get(self, request, pk: int):
        """The record of draw ``pk`` as JSON (see the class docstring)."""
        return Response(draw_record(_published_draw(pk), request=request))


class DrawPoolView(PublicFileView):
    """``GET /api/public/draws/{id}/pool.tsv``: the frozen institution pool, byte for byte as
    digested (SHA-256 = ``pool_digest``); 404 as the draw record."""

    throttle_classes = [PublicFileThrottle]
    renderer_classes = [TextRenderer]

    @extend_schema(
        operation_id="public_draw_pool", tags=[TAG], summary="A draw's frozen institution pool",
        description="Tab-separated, as digested: its SHA-256 is the record's `pool_digest`.",
        parameters=[_id("Draw id."), ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR,
                                                        description="The pool (TSV)."),
                   **error_responses(not_found="No such draw of a published plan.",
                                     file_endpoint=True)})
    def get(self, request, pk: int):
        """The frozen pool of draw ``pk`` as ``text/plain`` (see the class docstring)."""
        return _text(_published_draw(pk).pool, f"draw-{pk}-pool.tsv")


class DrawInspectorPoolView(PublicFileView):
    """``GET /api/public/draws/{id}/inspector-pool.tsv``: the frozen inspector pool
    (SHA-256 = ``inspector_pool_digest``); 404 as the draw record."""

    throttle_classes = [PublicFileThrottle]
    renderer_classes = [TextRenderer]

    @extend_schema(
        operation_id="public_draw_inspector_pool", tags=[TAG],
        summary="A draw's frozen inspector pool",
        description="Tab-separated, as digested: its SHA-256 is `inspector_pool_digest`.",
        parameters=[_id("Draw id."), ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR,
                                                        description="The pool (TSV)."),
                   **error_responses(not_found="No such draw of a published plan.",
                                     file_endpoint=True)})
    def get(self, request, pk: int):
        """The frozen inspector pool of draw ``pk`` as ``text/plain``."""
        return _text(_published_draw(pk).inspector_pool, f"draw-{pk}-inspector-pool.tsv")


VERIFIER_FILES = {
    "verify_draw.py": ("inspections", "drawing", "verifier.py"),
    "algorithm.py": ("inspections", "drawing", "algorithm.py"),
    "draw.md": ("docs", "draw.md"),
    "draw.zh.md": ("docs", "draw.zh.md"),
}


class VerifierFileView(PublicFileView):
    """``GET /api/public/verifier/{verify_draw.py|algorithm.py|draw.md|draw.zh.md}``.

    ``verify_draw.py`` is the offline verifier, one file, standard library only (an
    implementation of the specification independent of the platform's), sent as an attachment
    (``text/x-python``); ``algorithm.py`` is the platform's own implementation, for reading;
    ``draw.md`` / ``draw.zh.md`` the specification (``text/plain``, inline). 404 for any other
    name."""

    throttle_classes = [PublicFileThrottle]
    renderer_classes = [PythonRenderer, TextRenderer]

    @extend_schema(
        operation_id="public_verifier_file", tags=[TAG],
        summary="The independent verifier and the draw specification",
        description="`verify_draw.py`, `algorithm.py` (text/x-python, attachment), `draw.md`, "
                    "`draw.zh.md` (text/plain). 404 for any other name.",
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     enum=sorted(VERIFIER_FILES), description="File name."),
                    ACCEPT_LANGUAGE, RETRY_AFTER, OpenApiParameter("format", exclude=True)],
        responses={(200, "text/x-python"): OpenApiResponse(
                       OpenApiTypes.STR, description="verify_draw.py or algorithm.py."),
                   (200, "text/plain"): OpenApiResponse(
                       OpenApiTypes.STR, description="draw.md or draw.zh.md."),
                   **error_responses(not_found="No such file.", file_endpoint=True)})
    def get(self, request, name: str):
        """The file ``name`` (see the class docstring)."""
        if name not in VERIFIER_FILES:
            raise Http404
        body = Path(settings.BASE_DIR, *VERIFIER_FILES[name]).read_text(encoding="utf-8")
        if name.endswith(".md"):  # the specification is read in the browser
            return _text(body, name)
        response = HttpResponse(body, content_type="text/x-python; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PlanResultsView(PublicAPIView):
    """``GET /api/public/plans/{id}/results/``: the plan's tasks with their published results
    and superseded revisions (``publication.plan_results_record``), what ``verify_draw.py
    --results`` reads. 404 for a plan that is not published."""

    throttle_classes = [PublicThrottle]

    @extend_schema(
        operation_id="public_plan_results", tags=[TAG],
        summary="A published plan's tasks and results",
        description="What `verify_draw.py --results` reads. 404 for a plan that is not "
                    "published.",
        parameters=[_id("Plan id."), ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={200: PlanResultsSchema,
                   **error_responses(not_found="No such published plan.")})
    def get(self, request, pk: int):
        """The results record of plan ``pk`` as JSON."""
        plan = get_object_or_404(SpotCheckPlan.objects.published(), pk=pk)
        return Response(plan_results_record(plan))


class LedgerLinesView(PublicFileView):
    """``GET /api/public/ledger/``: the public ledger as JSON lines, oldest first
    (``application/x-ndjson``), streamed; ``?after=SEQ`` gives only the entries after SEQ (not
    a whole number: 400 ``{"after": [...]}``). Each line is one entry: its canonical body's
    fields plus ``hash``, ``signature`` and ``key``."""

    throttle_classes = [PublicFileThrottle]
    renderer_classes = [NDJSONRenderer]

    @extend_schema(
        operation_id="public_ledger", tags=[TAG], summary="The public ledger (JSON lines)",
        description="One signed, hash-chained entry per line, oldest first (docs/draw.md §9).",
        parameters=[OpenApiParameter("after", {"type": "integer", "minimum": 0,
                                               "maximum": LEDGER_SEQ_MAX},
                                     OpenApiParameter.QUERY,
                                     description="Only the entries after this sequence "
                                                 "number."),
                    ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={(200, "application/x-ndjson"): OpenApiResponse(
                       OpenApiTypes.STR, description="JSON lines."),
                   **error_responses(bad_request=True, file_endpoint=True)})
    def get(self, request):
        """The ledger entries after ``?after`` (default 0) as JSON lines."""
        after = request.GET.get("after", "0")
        if not LEDGER_SEQ.match(after) or int(after) > LEDGER_SEQ_MAX:
            raise ValidationError({"after": [_("Give a sequence number (a whole number).")]})
        entries = LedgerEntry.objects.filter(seq__gt=int(after)).order_by("seq")

        def lines():
            """One canonical JSON line per entry, streamed 500 at a time."""
            for entry in entries.iterator(chunk_size=500):
                yield json.dumps(entry.published(), ensure_ascii=False, sort_keys=True,
                                 separators=(",", ":")) + "\n"

        response = StreamingHttpResponse(lines(),
                                         content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="ledger.jsonl"'
        return response


class LedgerHeadView(PublicAPIView):
    """``GET /api/public/ledger/head/``: ``{"seq", "hash", "key"}`` of the last entry (seq 0 and
    the genesis hash when empty) and the signing key's fingerprint. Keep it: a later rewrite
    of anything before it is then detected (docs/draw.md §9)."""

    throttle_classes = [PublicThrottle]

    @extend_schema(
        operation_id="public_ledger_head", tags=[TAG], summary="The head of the public ledger",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={200: LedgerHeadSchema, **error_responses()})
    def get(self, request):
        """The ledger head as JSON."""
        from common.ledger import key_id

        from .services.ledger import ledger_head

        return Response({**ledger_head(), "key": key_id()})


class LedgerKeyView(PublicFileView):
    """``GET /api/public/ledger/key.pem``: the platform's Ed25519 public key
    (SubjectPublicKeyInfo PEM, ``text/plain``) that signs the ledger."""

    throttle_classes = [PublicFileThrottle]
    renderer_classes = [TextRenderer]

    @extend_schema(
        operation_id="public_ledger_key", tags=[TAG], summary="The ledger's public key (PEM)",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR,
                                                        description="PEM public key."),
                   **error_responses(file_endpoint=True)})
    def get(self, request):
        """The public key as PEM text."""
        from common.ledger import public_key_pem

        return _text(public_key_pem(), "ledger-key.pem")


# --- open data (/api/v1/) ----------------------------------------------------------------

class PlanOpenList(OpenDataListView):
    """``GET /api/v1/plans/``: published spot-check plans (``SpotCheckPlan.objects
    .published()``; never a draft). Items: :class:`inspections.serializers.PlanOpenSerializer`;
    filters: :class:`inspections.filters.PlanOpenFilter`. Two queries per page plus the
    count."""

    serializer_class = PlanOpenSerializer
    filterset_class = PlanOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return plans_open()

    @open_list_schema(
        operation_id="open_plans_list", serializer=PlanOpenSerializer,
        summary="Published spot-check plans",
        description="Published plans (双随机、一公开, seed 001 §三(三)): title, year, organizing "
                    "authority, jurisdiction (null: national), certificate level, period, "
                    "status, quotas per testing field, and the link to the plan's results. "
                    "Newest year first.")
    def get(self, request, *args, **kwargs):
        """The page of published plans matching the filters."""
        return super().get(request, *args, **kwargs)


class DrawOpenList(OpenDataListView):
    """``GET /api/v1/draws/``: the draws of published plans, summarised
    (:class:`inspections.serializers.DrawOpenSerializer`; each links its full record at
    ``/api/public/draws/{id}/``). Filters: :class:`inspections.filters.DrawOpenFilter`. One
    query per page plus the count."""

    serializer_class = DrawOpenSerializer
    filterset_class = DrawOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return draws_open()

    @open_list_schema(
        operation_id="open_draws_list", serializer=DrawOpenSerializer,
        summary="Draws of published plans (summary)",
        description="Each draw's kind, status, pool size and digest, commitment, times and, "
                    "once run, its seed; `url` is the full record (`/api/public/draws/{id}/`), "
                    "which an outsider replays with the verifier. Newest first.")
    def get(self, request, *args, **kwargs):
        """The page of draws matching the filters."""
        return super().get(request, *args, **kwargs)


class ResultOpenList(OpenDataListView):
    """``GET /api/v1/results/``: published inspection results (``InspectionResult.objects
    .published()``: the revision in force of each task on a published plan; never a
    revision under review, approved but unpublished, or superseded). Items:
    :class:`inspections.serializers.ResultOpenSerializer`; filters:
    :class:`inspections.filters.ResultOpenFilter`. One query per page plus the count."""

    serializer_class = ResultOpenSerializer
    filterset_class = ResultOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return results_open()

    @open_list_schema(
        operation_id="open_results_list", serializer=ResultOpenSerializer,
        summary="Published inspection results",
        description="Published results (seed 002 §五(三)): plan, task, institution, category "
                    "and follow-up (code and label), check date, revision; a correction (更正) "
                    "has `corrected: true`, the revision it `corrects` and the "
                    "`correction_reason`. Newest publication first.")
    def get(self, request, *args, **kwargs):
        """The page of published results matching the filters."""
        return super().get(request, *args, **kwargs)
