"""Public read-only API of published draws (no login)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from .models import Draw
from .publication import draw_record


class PublicThrottle(AnonRateThrottle):
    rate = "120/min"


def _published_draw(pk: int) -> Draw:
    return get_object_or_404(Draw.objects.published().select_related("plan"), pk=pk)


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
