"""Public pages (一公开, no login): published plans, their draws and results, draw verification.

Sources: seed 002 §五(三) (publish plans and results); DOMAIN.md "A draw is reproducible and
verifiable by an outsider".
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from institutions.models import TestingField
from qualifications.ratelimits import ratelimited_page

from ..drawing import algorithm as alg
from ..models import Draw, DrawStatus, InspectionResult, InspectionTask, SpotCheckPlan, TaskStatus
from ..services.draws import draws_for_display


def inclusion_probabilities(a: dict) -> dict:
    """Exact inclusion probabilities of an unweighted stratum allocation (docs/draw.md §4):
    ``probability`` = count/size; with a national-centre sub-quota also ``p_centres`` =
    centres/centres in pool and ``p_others`` = (count − centres)/(size − centres in pool)."""
    out = {"probability": a["count"] / a["size"] if a["size"] else None,
           "p_centres": None, "p_others": None}
    if a.get("centres") is not None:
        nc, no = a["centres_in_pool"], a["size"] - a["centres_in_pool"]
        out["p_centres"] = a["centres"] / nc if nc else 0.0
        out["p_others"] = (a["count"] - a["centres"]) / no if no else 0.0
    return out


def public_plan_list(request):
    """Published plans, newest first."""
    plans = (SpotCheckPlan.objects.published().select_related("authority", "region")
             .annotate(task_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.REPLACED),
                                        distinct=True))
             .order_by("-year", "-published_at"))
    page = Paginator(plans, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/public/plan_list.html", {"page": page})


def public_plan_detail(request, pk: int):
    """A published plan: its rules and weights, draws (commitment before, seed after), drawn
    institutions and their published results."""
    plan = get_object_or_404(SpotCheckPlan.objects.published()
                             .select_related("authority", "region"), pk=pk)
    draws = list(plan.draws.defer("pool", "inspector_pool", "server_seed")
                 .order_by("created_at"))
    draws_for_display(draws)
    field_names = dict(TestingField.objects.values_list("code", "name"))
    tasks = (InspectionTask.objects.filter(plan=plan)
             .select_related("institution", "institution__region", "draw")
             .prefetch_related(Prefetch("result", queryset=InspectionResult.objects.all()))
             .annotate(team_size=Count("assignments", filter=Q(assignments__active=True)))
             .order_by("draw__created_at", "stratum", "id"))
    strata = []
    for d in draws:
        if d.kind == "institutions" and "institutions" in d.parameters:
            for a in d.parameters["institutions"].get("allocation", []):
                strata.append({**a, "name": field_names.get(a["stratum"], a["stratum"]),
                               **inclusion_probabilities(a)})
            break
    return render(request, "inspections/public/plan_detail.html", {
        "plan": plan, "draws": draws, "tasks": tasks, "strata": strata,
        "field_names": field_names, "quotas": plan.quotas.select_related("field"),
    })


VERIFY_CACHE_SECONDS = 3600


def _verify_rate(group, request) -> str:
    return getattr(settings, "INSPECTIONS_VERIFY_PAGE_RATE", "10/m")


@ratelimited_page("inspections.draw_verify", _verify_rate)
def public_draw_verify(request, pk: int):
    """Check a published draw from its public record with the independent verifier
    (``inspections/drawing/verifier.py``, the file outsiders download as ``verify_draw.py``);
    show MATCH or MISMATCH with each difference, or "not drawn yet".

    A national draw takes the verifier about 0.8 s, so the verdict on a finished draw (whose
    rows the database keeps append-only) is cached for an hour, and the page is limited per IP
    (``INSPECTIONS_VERIFY_PAGE_RATE``, default 10 per minute; 429 past it).
    """
    from ..drawing import verifier
    from ..publication import draw_record

    draw = get_object_or_404(Draw.objects.published().select_related("plan"), pk=pk)
    record = draw_record(draw, request=request)
    finished = draw.status != DrawStatus.COMMITTED
    cache_key = f"draw-verify:{draw.pk}:{draw.status}"
    checks = cache.get(cache_key) if finished else None
    if checks is None:
        try:
            checks = verifier.verify(record, draw.pool, draw.inspector_pool or None)
        except verifier.Unverifiable as exc:
            checks = [str(exc)]
        if finished:
            cache.set(cache_key, checks, VERIFY_CACHE_SECONDS)
    outcome = "mismatch" if checks else ("match" if finished else "pending")
    return render(request, "inspections/public/draw_verify.html", {
        "draw": draw, "record": record, "outcome": outcome, "checks": checks,
        "algorithm_version": alg.ALGORITHM_VERSION,
    })
