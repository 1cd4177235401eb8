"""The public record (一公开): a draw's JSON, a plan's tasks and results, and the list of drawn
institutions as it follows from the draw records.

What an outsider verifies with ``verify_draw.py`` (docs/draw.md §8–9): the draw record
(:func:`draw_record`), the plan's results record (:func:`plan_results_record`) and the public
ledger. The public plan page lists institutions from the draw records themselves
(:func:`record_rows`), not from the task table: a task whose institution was swapped in the
database shows as a mismatch there, never as a quiet change of the page.
"""

from __future__ import annotations

from django.urls import reverse

from .models import Draw, DrawKind, DrawStatus, InspectionResult, InspectionTask, ResultState
from .services.review import result_public_fields


def draw_record(draw: Draw, *, request=None) -> dict:
    """The published JSON of ``draw`` (every key is specified in docs/draw.md §8).

    Always: ``id``, ``plan`` {id, title}, ``kind``, ``status``, ``algorithm_version``,
    ``parameters`` (quotas, allocation, weights, team rules; for a supplementary draw also
    ``replaces``), ``pool_digest``, ``pool_size``, ``pool_url``, ``inspector_pool_digest``,
    ``inspector_pool_url``, ``exclusions`` (reason → count), ``commitment``, ``committed_at``,
    ``external_sources`` [{name, known_at}], ``external_known_at``, ``parent``, ``reason``,
    ``replacement`` (the request and decision, for a supplementary draw, else ``null``),
    ``supplementary`` (ids). After the draw also ``external_values`` (normalised, one per
    source), ``external_value`` (joined), ``seed``, ``server_seed``, ``completed_at`` and
    ``result`` {``institutions``: [{code, stratum, rank, key}], ``teams``: [{institution,
    members: [{code, department, leader, matched_field, fallback}]}], ``problems``}. Before the
    draw the server seed is never shown.
    """
    def url(name):
        path = reverse(name, args=[draw.pk])
        return request.build_absolute_uri(path) if request is not None else path

    replacement = getattr(draw, "replacement_request", None) if draw.kind in (
        DrawKind.SUPPLEMENTARY_INSTITUTION, DrawKind.SUPPLEMENTARY_INSPECTOR) else None
    record = {
        "id": draw.pk,
        "plan": {"id": draw.plan_id, "title": draw.plan.title},
        "kind": draw.kind,
        "status": draw.status,
        "algorithm_version": draw.algorithm_version,
        "parameters": draw.parameters,
        "pool_digest": draw.pool_digest,
        "pool_size": draw.pool_size,
        "pool_url": url("api-draw-pool"),
        "inspector_pool_digest": draw.inspector_pool_digest,
        "inspector_pool_url": url("api-draw-inspector-pool"),
        "exclusions": draw.exclusions,
        "commitment": draw.commitment,
        "committed_at": draw.created_at.isoformat(),
        "external_sources": draw.external_sources,
        "external_known_at": (draw.external_known_at.isoformat()
                              if draw.external_known_at else None),
        "parent": draw.parent_id,
        "reason": draw.reason,
        "replacement": replacement_public(replacement) if replacement else None,
        "supplementary": list(draw.supplementary_draws.values_list("id", flat=True)),
    }
    if draw.status != DrawStatus.COMMITTED:
        record.update({
            "external_values": draw.external_values,
            "external_value": draw.external_value,
            "seed": draw.seed,
            "server_seed": draw.server_seed,
            "completed_at": draw.completed_at.isoformat() if draw.completed_at else None,
            "result": draw.result,
        })
    return record


def _name(user) -> str | None:
    if user is None:
        return None
    authority = getattr(user, "authority", None)
    name = user.get_full_name() or user.get_username()
    return f"{name} ({authority.name})" if authority is not None else name


def replacement_public(request) -> dict:
    """A replacement request as the public sees it: reason, evidence, who asked, who decided."""
    return {"request": request.pk, "kind": request.kind, "reason": request.reason,
            "reason_label": str(request.get_reason_display()), "evidence": request.evidence,
            "replaces_replacement": request.replaces_replacement,
            "requested_by": _name(request.requested_by),
            "requested_at": request.requested_at.isoformat(), "state": request.state,
            "decided_by": _name(request.decided_by),
            "decided_at": request.decided_at.isoformat() if request.decided_at else None,
            "decision_note": request.decision_note}


def plan_results_record(plan) -> dict:
    """The plan's tasks and published results, as ``verify_draw.py --results`` reads them:
    ``{"plan": id, "tasks": [{"task", "institution", "draw", "stratum", "status", "result":
    {…} | null, "history": [{…}]}]}``; ``result`` is the published revision
    (:func:`inspections.services.review.result_public_fields` plus ``published_at``),
    ``history`` the superseded ones, oldest first."""
    tasks = (InspectionTask.objects.filter(plan=plan).select_related("institution")
             .order_by("draw_id", "stratum", "id"))
    shown = {}
    for r in (InspectionResult.objects.filter(task__plan=plan, state__in=[
            ResultState.PUBLISHED, ResultState.SUPERSEDED])
            .select_related("task__institution", "corrects").order_by("task_id", "revision")):
        fields = {**result_public_fields(r), "state": r.state,
                  "published_at": r.published_at.isoformat() if r.published_at else None}
        shown.setdefault(r.task_id, []).append(fields)
    out = []
    for t in tasks:
        revs = shown.get(t.pk, [])
        current = next((r for r in revs if r["state"] == ResultState.PUBLISHED), None)
        out.append({"task": t.pk, "institution": t.institution.uscc, "draw": t.draw_id,
                    "stratum": t.stratum, "status": t.status, "result": current,
                    "history": [r for r in revs if r["state"] == ResultState.SUPERSEDED]})
    return {"plan": plan.pk, "title": plan.title, "tasks": out}


def record_rows(draws: list[Draw]) -> tuple[list[dict], dict[str, dict]]:
    """The drawn institutions as the completed draw records say: ``(rows, by_code)``.

    Each row: ``{"code", "stratum", "draw", "rank", "replaces", "replaced_by"}`` in draw
    order; a supplementary institution draw adds its institution and marks the one it
    replaces. ``draws``: the plan's draws, oldest first.
    """
    rows: list[dict] = []
    by_code: dict[str, dict] = {}
    for d in draws:
        if d.status != DrawStatus.COMPLETED:
            continue
        if d.kind == DrawKind.INSTITUTIONS or d.kind == DrawKind.SUPPLEMENTARY_INSTITUTION:
            replaced = (d.parameters.get("replaces") or {}).get("institution")
            for c in d.result.get("institutions", []):
                row = {"code": c["code"], "stratum": c["stratum"], "draw": d.pk,
                       "rank": c["rank"], "replaces": replaced, "replaced_by": None}
                rows.append(row)
                by_code[c["code"]] = row
            if replaced and replaced in by_code and d.result.get("institutions"):
                by_code[replaced]["replaced_by"] = d.result["institutions"][0]["code"]
    return rows, by_code


def record_mismatches(rows: list[dict], tasks: list[InspectionTask]) -> list[str]:
    """Codes where the task table disagrees with the draw records: a task on an institution
    no draw selected, a drawn institution without its task, or a replaced institution whose
    task is not marked replaced (and the other way round). Empty when they agree."""
    by_code = {r["code"]: r for r in rows}
    problems = []
    task_codes = {}
    for t in tasks:
        code = t.institution.uscc
        task_codes[code] = t
        row = by_code.get(code)
        if row is None or row["draw"] != t.draw_id:
            problems.append(code)
        elif (row["replaced_by"] is not None) != (t.status == "replaced"):
            problems.append(code)
    problems += [r["code"] for r in rows if r["code"] not in task_codes]
    return sorted(set(problems))
