"""Draw services: publish a plan, commit a draw, run it, replace by supplementary draws.

Lifecycle (docs/draw.md; seed 001 §三(三), seed 002 §二–三):

1. :func:`plan_publish` — the plan (quotas, weights, rules) becomes public.
2. :func:`draw_commit` — the pools are frozen and their SHA-256 digests stored, the allocation is
   computed (an impossible quota is refused here, nothing recorded), a server seed is taken from
   ``secrets`` and only its SHA-256 commitment is shown. All of it is public before the draw.
3. :func:`draw_execute` (run by the Celery task ``inspections.tasks.draw_run_task``) — the
   external value is mixed in, institutions are selected, teams drawn, tasks recorded, and the
   server seed revealed; exactly once (row lock), so a retried task records the same result
   once. A draw whose teams cannot be staffed is recorded as *failed* with every problem listed;
   nothing partial is written.
4. :func:`supplementary_institution_commit` / :func:`supplementary_inspector_commit` — a
   replacement is a new draw with its reason, approver and own seed; the original is untouched.
"""

from __future__ import annotations

import gc
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections.drawing import algorithm as alg
from institutions.models import Institution, InstitutionStatus, TestingField

from ..models import (
    Draw,
    DrawKind,
    DrawSelection,
    DrawStatus,
    InspectionTask,
    Inspector,
    PlanStatus,
    RiskWeighting,
    SelectionMode,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)
from ..models.plans import validate_class_ratios, validate_class_weights
from .draw_pools import inspector_pool_build, institution_pool_build, plan_strata

PRIMARY_KINDS = (DrawKind.INSTITUTIONS,)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a draw builds its pools and ranks them.

    Those steps make some 100,000 small acyclic objects (tuples, digests, strings); each
    allocation burst otherwise sets off full collections that walk every live object of the
    process, which doubled the national commit and run (scripts/bench_draw.py). Reference
    counting still frees everything; the collector resumes afterwards if it was on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_can_manage(user, plan: SpotCheckPlan) -> bool:
    """Whether ``user`` may publish the plan and run its draws: an admin, or a regulator of the
    plan's organizing authority."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_platform_admin or (user.is_regulator and user.authority_id == plan.authority_id)


def _require_manager(user, plan: SpotCheckPlan) -> None:
    if not plan_can_manage(user, plan):
        raise PermissionDenied(_("Only the organizing authority may do this."))


@transaction.atomic
def plan_publish(*, plan: SpotCheckPlan, user) -> SpotCheckPlan:
    """Publish a draft plan (一公开): from now on its quotas, weights and rules are public.

    Raises ``PermissionDenied`` (not the organizer) or ``ValidationError`` (not a draft, or no
    quota / total / ratio given).
    """
    _require_manager(user, plan)
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be published.")})
    draw_parameters(plan)  # validates the plan's draw settings
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    return plan


def draw_parameters(plan: SpotCheckPlan) -> dict:
    """Everything that decides the draw, as published: ``{"institutions": spec, "inspectors":
    rules}`` (see :func:`inspections.drawing.algorithm.allocate` and ``select_teams``).

    Raises ``ValidationError`` naming the plan field that is missing or wrong.
    """
    field_codes = dict(TestingField.objects.values_list("id", "code"))
    strata, _catch_all = plan_strata(plan, field_codes)
    spec: dict = {"mode": plan.selection_mode, "strata": strata}
    mode = plan.selection_mode
    if mode == SelectionMode.QUOTAS:
        quotas = list(plan.quotas.select_related("field"))
        if not quotas or any(q.count is None for q in quotas):
            raise ValidationError({"quotas": _("Give a count for every field quota.")})
        spec["quotas"] = {q.field.code: q.count for q in quotas}
    elif mode == SelectionMode.TOTAL:
        if not plan.total:
            raise ValidationError({"total": _("Give the total number of institutions.")})
        spec["total"] = plan.total
    elif mode == SelectionMode.RATIO:
        if plan.ratio is None or not (0 < plan.ratio <= 1):
            raise ValidationError({"ratio": _("Give a sampling ratio between 0 and 1.")})
        spec["ratio"] = str(plan.ratio)
    elif mode == SelectionMode.CLASS_RATIO:
        ratios = plan.class_ratios or {}
        if not ratios:
            raise ValidationError({"class_ratios": _(
                "Give a ratio for each credit risk class A, B, C, D.")})
        try:
            validate_class_ratios(ratios)
        except ValidationError as exc:
            raise ValidationError({"class_ratios": exc.messages}) from exc
        spec["class_ratios"] = {c: str(ratios.get(c, "0")) for c in alg.CLASSES}
    centres = {q.field.code: q.national_centre_count
               for q in plan.quotas.select_related("field")
               if q.national_centre_count is not None}
    if centres:
        spec["centres"] = centres
    elif plan.national_centre_count:
        spec["centres_total"] = plan.national_centre_count
    if plan.risk_weighting == RiskWeighting.CLASS_WEIGHT:
        weights = plan.class_weights or {}
        if not weights:
            raise ValidationError({"class_weights": _("Give a positive weight per class.")})
        try:
            validate_class_weights(weights)
        except ValidationError as exc:
            raise ValidationError({"class_weights": exc.messages}) from exc
        spec["weights"] = {c: float(weights.get(c, 1)) for c in alg.CLASSES}
    if plan.inspectors_per_task < 2:
        raise ValidationError({"inspectors_per_task": _("At least two inspectors per task.")})
    leads = {q.field.code: q.lead_department for q in plan.quotas.select_related("field")
             if q.lead_department}
    rules = {"per_task": plan.inspectors_per_task, "cap": plan.workload_cap,
             "same_county": plan.recuse_same_county,
             "departments": list(plan.joint_departments or []), "leads": leads}
    return {"institutions": spec, "inspectors": rules}


def _problems_message(problems: list[dict]) -> str:
    return "; ".join(describe_problem(p) for p in problems)


def describe_problem(p: dict) -> str:
    """A translated sentence for one ``DrawError`` problem."""
    reason = p.get("reason")
    where = p.get("stratum") or p.get("institution") or ""
    texts = {
        "quota_exceeds_stratum": _("stratum %(where)s: quota %(quota)s but only %(available)s "
                                   "institutions in the pool"),
        "centre_quota_exceeds_stratum": _("stratum %(where)s: national-centre quota %(quota)s "
                                          "but only %(available)s available"),
        "centre_quota_exceeds_pool": _("the national-centre quota exceeds the national centres "
                                       "in the pool"),
        "not_enough_other_institutions": _("stratum %(where)s: %(quota)s other institutions "
                                           "needed, %(available)s available"),
        "total_exceeds_pool": _("total %(total)s exceeds the %(available)s institutions "
                                "available"),
        "no_eligible_inspector_in_department": _("institution %(where)s: no eligible inspector "
                                                 "from department %(department)s"),
        "not_enough_eligible_inspectors": _("institution %(where)s: %(needed)s inspectors "
                                            "needed, only %(found)s eligible"),
    }
    text = texts.get(reason, reason or "")
    try:
        return text % {"where": where, **p}
    except (KeyError, TypeError):
        return f"{where}: {reason}"


def describe_exclusion(reason: str) -> str:
    """A translated label for an exclusion reason code of
    :func:`~inspections.services.draw_pools.institution_pool_build` (the code itself if
    unknown)."""
    if reason.startswith("status_") and reason[7:] in InstitutionStatus.values:
        return str(InstitutionStatus(reason[7:]).label)
    match = re.fullmatch(r"checked_within_(\d+)_months", reason)
    if match:
        n = int(match[1])
        return ngettext("checked in the last %(n)d month", "checked in the last %(n)d months",
                        n) % {"n": n}
    return str({"kind_not_in_plan": _("institution kind not in the plan"),
                "field_not_in_plan": _("testing field not in the plan"),
                "already_in_plan": _("already in the plan")}.get(reason, reason))


def draws_for_display(draws: list[Draw]) -> list[Draw]:
    """Set on each draw what its card shows in words: ``problem_texts`` (why a draw failed)
    and ``exclusion_texts`` (``[(label, count)]``, what the pool left out)."""
    for d in draws:
        d.problem_texts = [describe_problem(p) for p in d.result.get("problems", [])]
        d.exclusion_texts = [(describe_exclusion(r), n) for r, n in d.exclusions.items()]
    return draws


def _new_seed() -> tuple[str, str]:
    server_seed = secrets.token_hex(32)
    return server_seed, alg.commitment_of(server_seed)


@gc_paused()
def draw_commit(*, plan: SpotCheckPlan, user) -> Draw:
    """Freeze the pools of the plan's draw and commit to a server seed; return the new draw.

    Raises ``PermissionDenied`` (not the organizer), ``ValidationError`` (plan not published,
    a draw already recorded, or quotas that the pool cannot meet — each stratum listed).
    Two commits started at once: the plan row lock and a unique constraint let exactly one in.
    """
    _require_manager(user, plan)
    at = timezone.now()
    try:
        with transaction.atomic():
            plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
            if plan.status != PlanStatus.PUBLISHED:
                raise ValidationError({"plan": _("Publish the plan before its draw.")})
            if plan.draws.filter(kind__in=PRIMARY_KINDS).exclude(
                    status=DrawStatus.FAILED).exists():
                raise ValidationError({"plan": _("This plan already has a draw.")})
            params = draw_parameters(plan)
            entries, exclusions = institution_pool_build(plan=plan, at=at)
            try:
                params["institutions"]["allocation"] = alg.allocate(params["institutions"],
                                                                    entries)
            except alg.DrawError as exc:
                raise ValidationError({"quotas": _problems_message(exc.problems)}) from exc
            inspectors = inspector_pool_build(plan=plan, at=at)
            return _draw_create(plan=plan, kind=DrawKind.INSTITUTIONS, params=params,
                                entries=entries, exclusions=exclusions, inspectors=inspectors,
                                user=user)
    except IntegrityError as exc:
        raise ValidationError({"plan": _("This plan already has a draw.")}) from exc


def _draw_create(*, plan, kind, params, entries, exclusions, inspectors, user, parent=None,
                 reason="", approved_by=None) -> Draw:
    pool = alg.pool_serialize(entries)
    ipool = alg.inspector_pool_serialize(inspectors)
    server_seed, commitment = _new_seed()
    return Draw.objects.create(
        plan=plan, kind=kind, parent=parent, algorithm_version=alg.ALGORITHM_VERSION,
        parameters=params, pool=pool, pool_digest=alg.sha256_hex(pool), pool_size=len(entries),
        exclusions=exclusions, inspector_pool=ipool, inspector_pool_digest=alg.sha256_hex(ipool),
        commitment=commitment, server_seed=server_seed, created_by=user, reason=reason,
        approved_by=approved_by)


@gc_paused()
def draw_execute(*, draw_id: int, external_value: str, user_id: int | None) -> Draw:
    """Run a committed draw with the witness's external value; idempotent.

    A draw that is no longer *committed* is returned unchanged (a retried task records nothing
    twice). Raises ``ValidationError`` if ``external_value`` is empty or longer than 200
    characters.
    """
    external_value = (external_value or "").strip()
    if not external_value or len(external_value) > 200:
        raise ValidationError({"external_value": _(
            "Enter the external value announced for this draw (1–200 characters).")})
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw_id)
        if draw.status != DrawStatus.COMMITTED:
            return draw
        seed = alg.seed_derive(draw.server_seed, external_value, draw.pool_digest)
        entries = alg.pool_parse(draw.pool)
        params = draw.parameters
        if "institutions" in params:
            spec = params["institutions"]
            chosen = alg.select_institutions(seed, entries, spec["allocation"],
                                             spec.get("weights"))
        else:
            chosen = params["given"]
        by_code = {e.code: e for e in entries}
        problems: list[dict] = []
        teams: list[dict] = []
        try:
            teams = alg.select_teams(
                alg.inspector_seed_derive(seed, draw.inspector_pool_digest),
                alg.inspector_pool_parse(draw.inspector_pool),
                alg.task_specs(chosen, by_code, params["inspectors"]), params["inspectors"])
        except alg.DrawError as exc:
            problems = exc.problems
        draw.external_value = external_value
        draw.seed = seed
        draw.executed_by_id = user_id
        draw.completed_at = timezone.now()
        draw.result = {"institutions": chosen, "teams": teams, "problems": problems}
        draw.status = DrawStatus.FAILED if problems else DrawStatus.COMPLETED
        if not problems:
            _record(draw, chosen, teams, by_code)
        draw.save(update_fields=["external_value", "seed", "executed_by", "completed_at",
                                 "result", "status"])
    return draw


def _record(draw: Draw, chosen: list[dict], teams: list[dict], by_code) -> None:
    """Write selections, tasks and team members of a successful draw."""
    plan = draw.plan
    inst_ids = dict(Institution.objects.filter(uscc__in=[c["code"] for c in chosen])
                    .values_list("uscc", "id"))
    field_ids = dict(TestingField.objects.values_list("code", "id"))
    cards = [m["code"] for t in teams for m in t["members"]]
    ins_ids = dict(Inspector.objects.filter(card_number__in=cards)
                   .values_list("card_number", "id"))
    if draw.kind == DrawKind.SUPPLEMENTARY_INSPECTOR:
        _record_inspector_replacement(draw, teams, ins_ids)
        return
    DrawSelection.objects.bulk_create([
        DrawSelection(draw=draw, institution_id=inst_ids[c["code"]], stratum=c["stratum"],
                      rank=c["rank"], key=c["key"]) for c in chosen])
    tasks = InspectionTask.objects.bulk_create([
        InspectionTask(plan=plan, institution_id=inst_ids[c["code"]], draw=draw,
                       stratum=c["stratum"], field_id=field_ids.get(by_code[c["code"]].field),
                       deadline=plan.period_end) for c in chosen])
    task_by_code = {c["code"]: t for c, t in zip(chosen, tasks, strict=True)}
    if draw.kind == DrawKind.SUPPLEMENTARY_INSTITUTION:
        replaced = draw.parameters["replaces"]
        InspectionTask.objects.filter(pk=replaced["task"]).update(status=TaskStatus.REPLACED)
        TaskAssignment.objects.filter(task_id=replaced["task"]).update(active=False)
    TaskAssignment.objects.bulk_create([
        TaskAssignment(task=task_by_code[t["institution"]], inspector_id=ins_ids[m["code"]],
                       draw=draw, is_leader=m["leader"], matched_field=m["matched_field"],
                       fallback_reason=m["fallback"])
        for t in teams for m in t["members"]])
    if draw.kind == DrawKind.INSTITUTIONS:
        SpotCheckPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAWN)


def _record_inspector_replacement(draw: Draw, teams: list[dict], ins_ids) -> None:
    replaced = draw.parameters["replaces"]
    old = TaskAssignment.objects.get(pk=replaced["assignment"])
    TaskAssignment.objects.filter(pk=old.pk).update(active=False, is_leader=False)
    (member,) = teams[0]["members"]
    TaskAssignment.objects.create(
        task_id=old.task_id, inspector_id=ins_ids[member["code"]], draw=draw,
        is_leader=old.is_leader, matched_field=member["matched_field"],
        fallback_reason=member["fallback"])


def _plan_loads(plan: SpotCheckPlan) -> dict[str, int]:
    loads: dict[str, int] = {}
    for card in TaskAssignment.objects.filter(task__plan=plan, active=True).values_list(
            "inspector__card_number", flat=True):
        loads[card] = loads.get(card, 0) + 1
    return loads


@gc_paused()
def supplementary_institution_commit(*, task: InspectionTask, reason: str, user) -> Draw:
    """Commit a supplementary draw replacing ``task``'s institution (closed, deregistered...).

    The replacement comes from the same stratum (and, where the stratum had a national-centre
    sub-quota, with the same centre flag), never an institution already in the plan; a new team
    is drawn for it. ``reason`` is required; ``user`` (the organizer) is the approver.
    Raises ``PermissionDenied`` / ``ValidationError``.
    """
    plan = task.plan
    _require_manager(user, plan)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the replacement.")})
    if task.status == TaskStatus.REPLACED:
        raise ValidationError({"task": _("This task has already been replaced.")})
    at = timezone.now()
    with transaction.atomic():
        SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
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
        spec = {"mode": "quotas", "strata": [task.stratum], "quotas": {task.stratum: 1},
                "weights": params["institutions"].get("weights")}
        if spec["weights"] is None:
            del spec["weights"]
        try:
            spec["allocation"] = alg.allocate(spec, entries)
        except alg.DrawError as exc:
            raise ValidationError({"task": _problems_message(exc.problems)}) from exc
        params["institutions"] = spec
        params["inspectors"]["load"] = _plan_loads(plan)
        for m in task.assignments.filter(active=True).values_list("inspector__card_number",
                                                                  flat=True):
            params["inspectors"]["load"][m] -= 1
        params["replaces"] = {"task": task.pk, "institution": task.institution.uscc}
        inspectors = inspector_pool_build(plan=plan, at=at)
        return _draw_create(plan=plan, kind=DrawKind.SUPPLEMENTARY_INSTITUTION, params=params,
                            entries=entries, exclusions=exclusions, inspectors=inspectors,
                            user=user, parent=task.draw, reason=reason, approved_by=user)


@gc_paused()
def supplementary_inspector_commit(*, assignment: TaskAssignment, reason: str, user) -> Draw:
    """Commit a supplementary draw replacing one team member (e.g. a tie declared after the
    draw). The new member is drawn under the same rules, from the same department when that
    department was required, never a current or removed member of the team.
    Raises ``PermissionDenied`` / ``ValidationError``.
    """
    task = assignment.task
    plan = task.plan
    _require_manager(user, plan)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the replacement.")})
    if not assignment.active:
        raise ValidationError({"assignment": _("This team member was already replaced.")})
    at = timezone.now()
    with transaction.atomic():
        SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
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
                              "inspector": assignment.inspector.card_number}
        inspectors = inspector_pool_build(plan=plan, at=at)
        return _draw_create(plan=plan, kind=DrawKind.SUPPLEMENTARY_INSPECTOR, params=params,
                            entries=[entry], exclusions={}, inspectors=inspectors, user=user,
                            parent=assignment.draw, reason=reason, approved_by=user)
