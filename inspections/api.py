"""Public read-only API (no login): published draws and their pools, the verifier, a plan's
published results, and the public ledger (docs/draw.md §8–9)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from .models import Draw, LedgerEntry, SpotCheckPlan
from .publication import draw_record, plan_results_record


class PublicThrottle(AnonRateThrottle):
    rate = "120/min"


def _published_draw(pk: int) -> Draw:
    return get_object_or_404(Draw.objects.published().select_related(
        "plan", "replacement_request__requested_by__authority",
        "replacement_request__decided_by__authority"), pk=pk)


@extend_schema(summary="A published draw", responses={200: dict, 404: dict})
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([PublicThrottle])
def draw_detail(request, pk: int):
    """``GET /api/public/draws/{id}/``: the draw record (see ``inspections.publication``).

    Before the draw: commitment, pool digests, parameters, algorithm version. After: also the
    external value, server seed, seed and the selection. 404 for a draw of an unpublished plan.
    """
    return Response(draw_record(_published_draw(pk), request=request))


def _text(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def draw_pool(request, pk: int):
    """``GET /api/public/draws/{id}/pool.tsv``: the frozen institution pool, byte for byte as
    digested (SHA-256 = ``pool_digest``)."""
    return _text(_published_draw(pk).pool, f"draw-{pk}-pool.tsv")


def draw_inspector_pool(request, pk: int):
    """``GET /api/public/draws/{id}/inspector-pool.tsv``: the frozen inspector pool."""
    return _text(_published_draw(pk).inspector_pool, f"draw-{pk}-inspector-pool.tsv")


VERIFIER_FILES = {
    "verify_draw.py": ("inspections", "drawing", "verifier.py"),
    "algorithm.py": ("inspections", "drawing", "algorithm.py"),
    "draw.md": ("docs", "draw.md"),
    "draw.zh.md": ("docs", "draw.zh.md"),
}


def verifier_file(request, name: str):
    """``GET /api/public/verifier/{verify_draw.py|algorithm.py|draw.md}``: ``verify_draw.py`` is
    the offline verifier, one file, standard library only (an implementation of the
    specification independent of the platform's); ``algorithm.py`` is the platform's own
    implementation, for reading; ``draw.md`` is the specification. 404 for any other name."""
    from pathlib import Path

    from django.conf import settings
    from django.http import Http404

    if name not in VERIFIER_FILES:
        raise Http404
    body = Path(settings.BASE_DIR, *VERIFIER_FILES[name]).read_text(encoding="utf-8")
    if name.endswith(".md"):  # the specification is read in the browser
        return _text(body, name)
    response = HttpResponse(body, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@extend_schema(summary="A published plan's tasks and results", responses={200: dict, 404: dict})
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([PublicThrottle])
def plan_results(request, pk: int):
    """``GET /api/public/plans/{id}/results/``: the plan's tasks with their published results
    and superseded revisions (``publication.plan_results_record``), what ``verify_draw.py
    --results`` reads. 404 for a plan that is not published."""
    plan = get_object_or_404(SpotCheckPlan.objects.published(), pk=pk)
    return Response(plan_results_record(plan))


def ledger_lines(request):
    """``GET /api/public/ledger/``: the public ledger as JSON lines, oldest first
    (``application/x-ndjson``); ``?after=SEQ`` gives only the entries after SEQ. Each line is
    one entry: its canonical body's fields plus ``hash``, ``signature`` and ``key``."""
    import json

    from django.http import HttpResponseBadRequest, StreamingHttpResponse

    after = request.GET.get("after", "0")
    if not after.isdigit():
        return HttpResponseBadRequest("after: give a sequence number (a whole number)\n",
                                      content_type="text/plain; charset=utf-8")
    entries = LedgerEntry.objects.filter(seq__gt=int(after)).order_by("seq")

    def lines():
        for entry in entries.iterator(chunk_size=500):
            yield json.dumps(entry.published(), ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ledger.jsonl"'
    return response


@extend_schema(summary="The head of the public ledger", responses={200: dict})
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([PublicThrottle])
def ledger_head_view(request):
    """``GET /api/public/ledger/head/``: ``{"seq", "hash", "key"}`` of the last entry (seq 0 and
    the genesis hash when empty) and the signing key's fingerprint. Keep it: a later rewrite
    of anything before it is then detected (docs/draw.md §9)."""
    from common.ledger import key_id

    from .services.ledger import ledger_head

    return Response({**ledger_head(), "key": key_id()})


def ledger_key(request):
    """``GET /api/public/ledger/key.pem``: the platform's Ed25519 public key (SubjectPublicKeyInfo
    PEM) that signs the ledger."""
    from common.ledger import public_key_pem

    return _text(public_key_pem(), "ledger-key.pem")
