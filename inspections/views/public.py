"""Public pages (一公开, no login): published plans, their draws and results, draw verification.

Sources: seed 002 §五(三) (publish plans and results); DOMAIN.md "A draw is reproducible and
verifiable by an outsider".
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from accounts.access import public_get
from common.ratelimits import ratelimited_page
from institutions.models import Institution, TestingField

from ..drawing import algorithm as alg
from ..models import (
    Draw,
    DrawStatus,
    InspectionResult,
    InspectionTask,
    ReplacementRequest,
    SpotCheckPlan,
    TaskStatus,
)
from ..publication import record_mismatches, record_rows
from ..services.draw_display import draws_for_display
from ..services.ledger import ledger_head


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


def class_probabilities(draw: Draw, spec: dict) -> dict[str, list[dict]]:
    """Per stratum of a weighted draw, each credit class's inclusion probability
    (``drawing.inclusion``; docs/draw.md §5): ``{stratum: [{"cls", "members", "probability"}]}``
    from the frozen pool. With a national-centre sub-quota, the probabilities are those of the
    "others" sub-stratum (centres are listed with their own exact ratio)."""
    from ..drawing.inclusion import class_inclusion_probabilities

    split = {a["stratum"] for a in spec["allocation"] if a["centres"] is not None}
    members: dict[str, dict[str, int]] = {}
    for e in alg.pool_parse(Draw.objects.values_list("pool", flat=True).get(pk=draw.pk)):
        if e.centre and e.stratum in split:
            continue
        counts = members.setdefault(e.stratum, {})
        counts[e.risk] = counts.get(e.risk, 0) + 1
    weights = {c: float(w) for c, w in spec["weights"].items()}
    out: dict[str, list[dict]] = {}
    for a in spec["allocation"]:
        counts = members.get(a["stratum"], {})
        n = a["count"] - (a["centres"] or 0)
        if not counts or n <= 0:
            continue
        probs = class_inclusion_probabilities(counts, weights, n)
        out[a["stratum"]] = [{"cls": c, "members": counts[c], "probability": probs[c]}
                             for c in sorted(counts) if c in probs]
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
    """A published plan: its rules and weights, draws (commitment and declared sources before,
    seed after), the drawn institutions as the draw records list them, their published results
    (with corrections), the replacement chain, and the head of the public ledger.

    Rows come from the draw records (``publication.record_rows``); results are attached by
    institution code. Where the task table disagrees with the records, the page says so
    (``mismatches``) instead of showing the table's version."""
    plan = public_get(SpotCheckPlan.objects.published().select_related("authority", "region"),
                      pk=pk)
    draws = list(plan.draws.defer("pool", "inspector_pool", "server_seed")
                 .select_related("replacement_request__requested_by__authority",
                                 "replacement_request__decided_by__authority")
                 .order_by("created_at"))
    draws_for_display(draws)
    field_names = dict(TestingField.objects.values_list("code", "name"))
    rows, by_code = record_rows(draws)
    tasks = list(InspectionTask.objects.filter(plan=plan)
                 .select_related("institution")
                 .annotate(team_size=Count("assignments", filter=Q(assignments__active=True))))
    task_by_code = {t.institution.uscc: t for t in tasks}
    mismatches = record_mismatches(rows, tasks)
    institutions = {i.uscc: i for i in Institution.objects.filter(uscc__in=list(by_code))
                    .select_related("region")}
    results = {r.task_id: r for r in InspectionResult.objects.published().filter(task__plan=plan)
               .select_related("corrects")}
    for row in rows:
        row["institution"] = institutions.get(row["code"])
        task = task_by_code.get(row["code"])
        agrees = row["code"] not in mismatches
        row["task"] = task if agrees else None
        row["result"] = results.get(task.pk) if task is not None and agrees else None
        row["stratum_name"] = field_names.get(row["stratum"], row["stratum"])
    strata = []
    for d in draws:
        if d.kind == "institutions" and "institutions" in d.parameters:
            spec = d.parameters["institutions"]
            classes = class_probabilities(d, spec) if spec.get("weights") else {}
            for a in spec.get("allocation", []):
                strata.append({**a, "name": field_names.get(a["stratum"], a["stratum"]),
                               **inclusion_probabilities(a),
                               "classes": classes.get(a["stratum"], [])})
            break
    replacements = (ReplacementRequest.objects.public().filter(plan=plan)
                    .select_related("task__institution", "assignment__inspector",
                                    "requested_by__authority", "decided_by__authority", "draw")
                    .order_by("requested_at"))
    return render(request, "inspections/public/plan_detail.html", {
        "plan": plan, "draws": draws, "rows": rows, "strata": strata,
        "field_names": field_names, "quotas": plan.quotas.select_related("field"),
        "mismatches": mismatches, "replacements": replacements, "head": ledger_head(),
        "plan_entries": plan.ledger_entries.count(),
    })


VERIFY_CACHE_SECONDS = 3600


def _verify_rate(group, request) -> str:
    return getattr(settings, "INSPECTIONS_VERIFY_PAGE_RATE", "10/m")


@ratelimited_page("inspections.draw_verify", _verify_rate)
def public_draw_verify(request, pk: int):
    """Check a published draw from its public record with the independent verifier
    (``inspections/drawing/verifier.py``, the file outsiders download as ``verify_draw.py``):
    the draw record, the public ledger (chain, signatures, the entries of this draw) and the
    plan's published results; show MATCH or MISMATCH with each difference, or "not drawn
    yet", in the page's language.

    A national draw takes the verifier about a second, so the verdict on a finished draw is
    cached for an hour per ledger head and language, and the page is limited per IP
    (``INSPECTIONS_VERIFY_PAGE_RATE``, default 10 per minute; 429 past it).
    """
    from common.ledger import public_key_raw

    from ..drawing import verifier
    from ..models import LedgerEntry
    from ..publication import draw_record, plan_results_record

    draw = public_get(Draw.objects.published().select_related("plan"), pk=pk)
    record = draw_record(draw, request=request)
    finished = draw.status != DrawStatus.COMMITTED
    lang = "zh" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
    head = ledger_head()
    cache_key = f"draw-verify:{draw.pk}:{draw.status}:{head['seq']}:{head['hash']}:{lang}"
    checks = cache.get(cache_key) if finished else None
    if checks is None:
        ledger = [e.published() for e in LedgerEntry.objects.order_by("seq")]
        try:
            checks = verifier.verify(record, draw.pool, draw.inspector_pool or None,
                                     ledger=ledger, public_key=public_key_raw(),
                                     results=plan_results_record(draw.plan), lang=lang)
        except verifier.Unverifiable as exc:
            checks = [str(exc)]
        if finished:
            cache.set(cache_key, checks, VERIFY_CACHE_SECONDS)
    outcome = "mismatch" if checks else ("match" if finished else "pending")
    return render(request, "inspections/public/draw_verify.html", {
        "draw": draw, "record": record, "outcome": outcome, "checks": checks,
        "algorithm_version": alg.ALGORITHM_VERSION, "head": head, "lang": lang,
        "spec_name": "draw.zh.md" if lang == "zh" else "draw.md",
    })
