"""Replacements: a request by one regulator, a decision by another, then a supplementary draw.

Rules (DOMAIN.md "A finished draw is never changed; a replacement (for a recusal or a closed
institution) is a new, recorded supplementary draw"; seed 001 §三(三)):

* a task with a recorded result is never replaced, nor is a member of its team;
* the reason comes from a fixed list (``ReplacementReason``), the evidence is stated;
* the request is made by a regulator of the organizing authority and decided by *another*
  regulator of that authority; approval commits the supplementary draw, with its declared
  external sources, which then runs like any draw;
* a replacement of a replacement (the institution or member to replace was itself drawn by a
  supplementary draw) says so and needs the same approval;
* request and decision are written to the public ledger and shown with the replacement chain.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts
from common.gcpause import gc_paused
from inspections.drawing import algorithm as alg

from ..models import (
    Draw,
    DrawKind,
    DrawStatus,
    InspectionResult,
    InspectionTask,
    LedgerKind,
    ReplacementRequest,
    ReplacementState,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)
from ..models.replacements import INSPECTOR_REASONS, INSTITUTION_REASONS, ReplacementKind
from .draw_display import problems_message
from .draw_pools import inspector_pool_build, institution_pool_build
from .draws import draw_create, sources_clean
from .ledger import ledger_append, ledger_time, person
from .plans import draw_parameters, require_manager

MIN_EVIDENCE = 4


def replacement_under_way(task: InspectionTask) -> bool:
    """Whether a replacement of ``task`` (or of one of its members) is pending or approved with
    its supplementary draw not yet run: its result may not be recorded meanwhile."""
    return (ReplacementRequest.objects.filter(task=task, state=ReplacementState.PENDING).exists()
            or ReplacementRequest.objects.filter(task=task, state=ReplacementState.APPROVED,
                                                 draw__status=DrawStatus.COMMITTED).exists())


def _refuse_if_inspected(task: InspectionTask) -> None:
    if InspectionResult.objects.filter(task=task).exists():
        raise ValidationError({"task": _(
            "This task has a recorded result: its institution and team are not replaced.")})


@acts
@transaction.atomic
def replacement_request_create(*, task: InspectionTask, kind: str, reason: str, evidence: str,
                               user, assignment: TaskAssignment | None = None,
                               now: dt.datetime | None = None) -> ReplacementRequest:
    """Ask for a supplementary draw replacing ``task``'s institution (``kind="institution"``)
    or one team member (``kind="inspector"``, ``assignment``); return the pending request.

    Raises ``PermissionDenied`` (not a regulator of the organizing authority) or
    ``ValidationError`` naming ``task`` (replaced, inspected, or a replacement already under
    way), ``assignment``, ``reason`` (not one of the reasons for this kind) or ``evidence``.
    """
    task = (InspectionTask.objects.select_for_update(of=("self",))
            .select_related("plan", "draw", "institution").get(pk=task.pk))
    require_manager(user, task.plan)
    at = now or clock.now()
    errors: dict = {}
    if kind == ReplacementKind.INSTITUTION:
        allowed, replaced_draw = INSTITUTION_REASONS, task.draw
    elif kind == ReplacementKind.INSPECTOR:
        allowed = INSPECTOR_REASONS
        if assignment is None or assignment.task_id != task.pk or not assignment.active:
            raise ValidationError({"assignment": _("Choose an active member of this task's "
                                                   "team.")})
        replaced_draw = assignment.draw
    else:
        raise ValidationError({"kind": _("Choose what to replace.")})
    if reason not in allowed:
        errors["reason"] = _("Choose one of the reasons listed for this replacement.")
    if len((evidence or "").strip()) < MIN_EVIDENCE:
        errors["evidence"] = _("State the evidence: the document, its number and date, or the "
                               "declaration.")
    if task.status == TaskStatus.REPLACED:
        errors["task"] = _("This task has already been replaced.")
    if errors:
        raise ValidationError(errors)
    _refuse_if_inspected(task)
    if replacement_under_way(task):
        raise ValidationError({"task": _("A replacement of this task is already under way.")})
    request = ReplacementRequest.objects.create(
        plan=task.plan, kind=kind, task=task, assignment=assignment, reason=reason,
        evidence=evidence.strip(), requested_by=user, requested_at=at,
        replaces_replacement=replaced_draw.kind != DrawKind.INSTITUTIONS)
    ledger_append(kind=LedgerKind.REPLACEMENT_REQUESTED, plan=task.plan, at=at, payload={
        "request": request.pk, "plan": task.plan_id, "kind": kind, "task": task.pk,
        "institution": task.institution.uscc,
        "assignment": assignment.pk if assignment else None,
        "inspector": assignment.inspector.card_number if assignment else None,
        "reason": reason, "evidence": request.evidence,
        "replaces_replacement": request.replaces_replacement,
        "requested_by": person(user), "requested_at": ledger_time(at)})
    return request


@acts
@gc_paused()
def replacement_decide(*, request: ReplacementRequest, approve: bool, user, note: str = "",
                       sources: list[dict] | None = None,
                       now: dt.datetime | None = None) -> ReplacementRequest:
    """Approve (committing the supplementary draw with the declared ``sources``) or reject a
    pending request; return it.

    The decider is a regulator of the organizing authority other than the requester. A
    rejection needs ``note``. Raises ``PermissionDenied`` (not the organizer, or the requester
    himself) or ``ValidationError`` naming ``state`` (already decided), ``decision_note``,
    ``external_sources`` (see ``sources_clean``) or ``task`` (inspected meanwhile, or no
    eligible replacement in the pool).
    """
    at = now or clock.now()
    with transaction.atomic():
        request = (ReplacementRequest.objects.select_for_update(of=("self",))
                   .select_related("plan", "task__draw", "task__institution",
                                   "assignment__inspector__authority", "assignment__draw")
                   .get(pk=request.pk))
        plan = request.plan
        require_manager(user, plan)
        if user.pk == request.requested_by_id:
            raise PermissionDenied(_("A replacement is approved by another person than the one "
                                     "who requested it."))
        if request.state != ReplacementState.PENDING:
            raise ValidationError({"state": _("This request has already been decided.")})
        note = (note or "").strip()
        draw = None
        if approve:
            declared, known_at = sources_clean(sources or [], now=at)
            SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
            _refuse_if_inspected(request.task)
            if request.kind == ReplacementKind.INSTITUTION:
                draw = _institution_draw(request=request, user=user, sources=declared,
                                         known_at=known_at, at=at)
            else:
                draw = _inspector_draw(request=request, user=user, sources=declared,
                                       known_at=known_at, at=at)
        elif not note:
            raise ValidationError({"decision_note": _("Give the reason for the rejection.")})
        request.state = ReplacementState.APPROVED if approve else ReplacementState.REJECTED
        request.decided_by = user
        request.decided_at = at
        request.decision_note = note
        request.draw = draw
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_note",
                                    "draw"])
        ledger_append(kind=LedgerKind.REPLACEMENT_DECIDED, plan=plan, at=at, payload={
            "request": request.pk, "decision": request.state,
            "draw": draw.pk if draw else None, "note": note,
            "decided_by": person(user), "decided_at": ledger_time(at)})
    return request


def _plan_loads(plan: SpotCheckPlan) -> dict[str, int]:
    loads: dict[str, int] = {}
    for card in TaskAssignment.objects.filter(task__plan=plan, active=True).values_list(
            "inspector__card_number", flat=True):
        loads[card] = loads.get(card, 0) + 1
    return loads


def _reason_text(request: ReplacementRequest) -> str:
    return f"{request.get_reason_display()}: {request.evidence}"


def _institution_draw(*, request, user, sources, known_at, at) -> Draw:
    """The supplementary draw replacing a task's institution: from the same stratum (and,
    where the stratum had a national-centre sub-quota, with the same centre flag), never an
    institution already in the plan, under the plan's current rules; a new team with it."""
    task, plan = request.task, request.plan
    if Draw.objects.filter(plan=plan, status=DrawStatus.COMMITTED,
                           parameters__replaces__task=task.pk).exists():
        raise ValidationError({"task": _("A replacement draw is already committed.")})
    params = draw_parameters(plan)
    taken = set(plan.tasks.values_list("institution_id", flat=True))
    entries, exclusions = institution_pool_build(plan=plan, at=at, exclude_ids=taken)
    root = task.draw
    while root.kind != DrawKind.INSTITUTIONS and root.parent_id:
        root = root.parent
    original = root.parameters["institutions"]["allocation"]
    stratum = next(a for a in original if a["stratum"] == task.stratum)
    is_centre = task.institution.is_national_centre
    entries = [e for e in entries if e.stratum == task.stratum and (
        stratum["centres"] is None or e.centre == is_centre)]
    spec = {"mode": "quotas", "strata": [task.stratum], "quotas": {task.stratum: 1}}
    if params["institutions"].get("weights"):
        spec["weights"] = params["institutions"]["weights"]
    try:
        spec["allocation"] = alg.allocate(spec, entries)
    except alg.DrawError as exc:
        raise ValidationError({"task": problems_message(exc.problems)}) from exc
    params["institutions"] = spec
    params["inspectors"]["load"] = _plan_loads(plan)
    for m in task.assignments.filter(active=True).values_list("inspector__card_number",
                                                              flat=True):
        params["inspectors"]["load"][m] -= 1
    params["replaces"] = {"task": task.pk, "institution": task.institution.uscc,
                          "request": request.pk}
    inspectors = inspector_pool_build(plan=plan, at=at)
    return draw_create(plan=plan, kind=DrawKind.SUPPLEMENTARY_INSTITUTION, params=params,
                       entries=entries, exclusions=exclusions, inspectors=inspectors,
                       user=user, sources=sources, known_at=known_at, at=at, parent=task.draw,
                       reason=_reason_text(request), approved_by=user, request=request)


def _inspector_draw(*, request, user, sources, known_at, at) -> Draw:
    """The supplementary draw replacing one team member: under the same rules, from the same
    department when that department was required, never a current or removed member."""
    assignment, task, plan = request.assignment, request.task, request.plan
    if Draw.objects.filter(plan=plan, status=DrawStatus.COMMITTED,
                           parameters__replaces__assignment=assignment.pk).exists():
        raise ValidationError({"assignment": _("A replacement draw is already committed.")})
    params = draw_parameters(plan)
    inst = task.institution
    entry = alg.Entry(inst.uscc, task.stratum, inst.is_national_centre, "-",
                      task.field.code if task.field else inst.primary_field.code,
                      inst.region_id)
    team = list(task.assignments.values_list("inspector__card_number", flat=True))
    rules = params["inspectors"]
    department = assignment.inspector.authority.department
    required = ([rules["leads"][task.stratum]] if task.stratum in rules["leads"] else []) \
        + rules["departments"]
    params["inspectors"] = {
        "per_task": 1, "cap": rules["cap"], "same_county": rules["same_county"],
        "departments": [department] if department in required else [], "leads": {},
        "exclude": {inst.uscc: sorted(team)}, "load": _plan_loads(plan)}
    del params["institutions"]
    params["given"] = [{"code": inst.uscc, "stratum": task.stratum, "rank": 1, "key": ""}]
    params["replaces"] = {"task": task.pk, "assignment": assignment.pk,
                          "inspector": assignment.inspector.card_number,
                          "request": request.pk}
    inspectors = inspector_pool_build(plan=plan, at=at)
    return draw_create(plan=plan, kind=DrawKind.SUPPLEMENTARY_INSPECTOR, params=params,
                       entries=[entry], exclusions={}, inspectors=inspectors, user=user,
                       sources=sources, known_at=known_at, at=at, parent=assignment.draw,
                       reason=_reason_text(request), approved_by=user, request=request)
