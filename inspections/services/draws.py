"""Draw services: commit a draw with its declared external sources, and run it.

Lifecycle (docs/draw.md; seed 001 §三(三), seed 002 §二–三):

1. :func:`inspections.services.plans.plan_publish` — the plan (quotas, weights, rules) becomes
   public.
2. :func:`draw_commit` — the pools are frozen and their SHA-256 digests stored, the allocation is
   computed (an impossible quota is refused here, nothing recorded), a server seed is taken from
   ``secrets`` and only its SHA-256 commitment is shown, with the **declared external sources**:
   public values nobody can know at commit time (a named lottery draw or index on a named date
   after the commit, or several, after RFC 3797). All of it is public before the draw and
   written to the public ledger.
3. :func:`draw_execute` (run by the Celery task ``inspections.tasks.draw_run_task``) — refused
   before every declared value is known; the values are normalised (NFKC, white space folded,
   trimmed) and mixed in, institutions are selected, teams drawn, tasks recorded, and the server
   seed revealed; exactly once (row lock), so a retried task records the same result once. A
   draw whose teams cannot be staffed is recorded as *failed* with every problem listed; nothing
   partial is written.
4. Replacements: ``inspections.services.replacements`` (requested by one regulator, approved by
   another, then a supplementary draw committed and run the same way).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts, audited_bulk_create
from common.gcpause import gc_paused
from common.ledger import canonical_json, sha256_hex
from inspections.drawing import algorithm as alg
from institutions.models import Institution, TestingField

from ..models import (
    Draw,
    DrawKind,
    DrawSelection,
    DrawStatus,
    InspectionTask,
    Inspector,
    LedgerKind,
    PlanStatus,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)
from ..notifications import team_members_notify
from .draw_display import problems_message
from .draw_pools import inspector_pool_build, institution_pool_build
from .ledger import ledger_append, ledger_time, person
from .plans import draw_parameters, plan_can_manage, require_manager, rules_digest

PRIMARY_KINDS = (DrawKind.INSTITUTIONS,)
MAX_SOURCES = 5


def sources_clean(sources, *, now: dt.datetime) -> tuple[list[dict], dt.datetime]:
    """Check the declared external sources of a commit; return ``([{"name", "known_at"}],
    latest known_at)`` with ``known_at`` as the ledger writes times.

    ``sources``: a list of 1–5 ``{"name": str, "known_at": aware datetime}``; each name says
    where and how the value is published (e.g. "中国福利彩票双色球第2023118期开奖号码"), each
    time lies after ``now`` (nobody may know the value at commit). Raises ``ValidationError``
    on ``external_sources`` naming the source and the problem.
    """
    if not isinstance(sources, list | tuple) or not 1 <= len(sources) <= MAX_SOURCES:
        raise ValidationError({"external_sources": _(
            "Declare one to five external sources whose values are published after the "
            "commit.")})
    out, errors, latest = [], [], None
    for n, source in enumerate(sources, start=1):
        name = " ".join(str(source.get("name") or "").split())
        known_at = source.get("known_at")
        if not name or len(name) > 200:
            errors.append(_("Source %(n)d: name the source (1–200 characters), e.g. a lottery "
                            "draw and its number.") % {"n": n})
            continue
        if not isinstance(known_at, dt.datetime) or timezone.is_naive(known_at):
            errors.append(_("Source %(n)d: give the date and time its value is published.")
                          % {"n": n})
            continue
        if known_at <= now:
            errors.append(_("Source %(n)d: its value must be published after the commit, "
                            "when nobody can know it yet.") % {"n": n})
            continue
        out.append({"name": name, "known_at": ledger_time(known_at)})
        latest = known_at if latest is None or known_at > latest else latest
    if errors:
        raise ValidationError({"external_sources": errors})
    return out, latest


def values_clean(draw: Draw, values) -> list[str]:
    """The normalised value of each declared source (``algorithm.external_value_normalise``),
    in declared order. Raises ``ValidationError`` on ``external_values`` naming the source."""
    sources = draw.external_sources or []
    if not isinstance(values, list | tuple) or len(values) != len(sources):
        raise ValidationError({"external_values": _(
            "Enter one value for each declared source (%(n)d).") % {"n": len(sources)}})
    out, errors = [], []
    for n, (value, source) in enumerate(zip(values, sources, strict=True), start=1):
        try:
            out.append(alg.external_value_normalise(str(value or "")))
        except ValueError:
            errors.append(_("Source %(n)d (%(name)s): enter its published value, 1–200 "
                            "characters without control characters.")
                          % {"n": n, "name": source["name"]})
    if errors:
        raise ValidationError({"external_values": errors})
    return out


def _new_seed() -> tuple[str, str]:
    server_seed = secrets.token_hex(32)
    return server_seed, alg.commitment_of(server_seed)


@acts
@gc_paused()
def draw_commit(*, plan: SpotCheckPlan, user, sources: list[dict],
                now: dt.datetime | None = None) -> Draw:
    """Freeze the pools of the plan's draw, commit to a server seed and declare the external
    sources; return the new draw.

    ``sources``: see :func:`sources_clean`. Raises ``PermissionDenied`` (not the organizer),
    ``ValidationError`` (plan not published, a draw already recorded, sources not declared as
    required, or quotas that the pool cannot meet — each stratum listed). Two commits started
    at once: the plan row lock and a unique constraint let exactly one in.
    """
    require_manager(user, plan)
    at = now or clock.now()
    declared, known_at = sources_clean(sources, now=at)
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
                raise ValidationError({"quotas": problems_message(exc.problems)}) from exc
            inspectors = inspector_pool_build(plan=plan, at=at)
            return draw_create(plan=plan, kind=DrawKind.INSTITUTIONS, params=params,
                               entries=entries, exclusions=exclusions, inspectors=inspectors,
                               user=user, sources=declared, known_at=known_at, at=at)
    except IntegrityError as exc:
        raise ValidationError({"plan": _("This plan already has a draw.")}) from exc


def draw_create(*, plan, kind, params, entries, exclusions, inspectors, user, sources,
                known_at, at, parent=None, reason="", approved_by=None, request=None) -> Draw:
    """Write a committed draw and its ``draw_committed`` ledger entry (inside the caller's
    transaction). ``request``: the replacement request a supplementary draw answers."""
    pool = alg.pool_serialize(entries)
    ipool = alg.inspector_pool_serialize(inspectors)
    server_seed, commitment = _new_seed()
    draw = Draw.objects.create(
        plan=plan, kind=kind, parent=parent, algorithm_version=alg.ALGORITHM_VERSION,
        parameters=params, pool=pool, pool_digest=alg.sha256_hex(pool), pool_size=len(entries),
        exclusions=exclusions, inspector_pool=ipool, inspector_pool_digest=alg.sha256_hex(ipool),
        commitment=commitment, server_seed=server_seed, created_by=user, reason=reason,
        approved_by=approved_by, external_sources=sources, external_known_at=known_at,
        created_at=at)
    ledger_append(kind=LedgerKind.DRAW_COMMITTED, plan=plan, at=at, payload={
        "draw": draw.pk, "plan": plan.pk, "kind": kind, "parent": parent.pk if parent else None,
        "replacement_request": request.pk if request is not None else None,
        "algorithm_version": draw.algorithm_version, "commitment": commitment,
        "pool_digest": draw.pool_digest, "pool_size": draw.pool_size,
        "inspector_pool_digest": draw.inspector_pool_digest,
        "parameters_digest": rules_digest(params), "exclusions": exclusions,
        "external_sources": sources, "committed_by": person(user),
        "committed_at": ledger_time(at)})
    return draw


def result_digest(result: dict) -> str:
    """SHA-256 of the canonical JSON of a draw's ``result`` (selection, teams, problems)."""
    return sha256_hex(canonical_json(result))


@gc_paused()
def draw_execute(*, draw_id: int, values: list[str], user_id: int | None,
                 now: dt.datetime | None = None) -> Draw:
    """Run a committed draw with the published values of its declared sources; idempotent.

    Only a regulator of the plan's organizing authority runs it (``user_id``), and not before
    ``external_known_at``. A draw that is no longer *committed* is returned unchanged (a retried
    task records nothing twice). Raises ``PermissionDenied``; ``ValidationError`` on
    ``external_values`` (a value missing or malformed, see :func:`values_clean`) or ``draw``
    (run too early, or no sources declared).
    """
    user = get_user_model().objects.filter(pk=user_id).select_related("authority").first() \
        if user_id is not None else None
    at = now or clock.now()
    with transaction.atomic():
        draw = Draw.objects.select_for_update(of=("self",)).select_related("plan").get(pk=draw_id)
        if draw.status != DrawStatus.COMMITTED:
            return draw
        if not plan_can_manage(user, draw.plan):
            raise PermissionDenied(_("Only a regulator of the organizing authority may run "
                                     "the draw."))
        if not draw.external_sources or draw.external_known_at is None:
            raise ValidationError({"draw": _("This draw declares no external source.")})
        if at < draw.external_known_at:
            raise ValidationError({"draw": _(
                "The declared values are published at %(time)s; the draw cannot run before.")
                % {"time": timezone.localtime(draw.external_known_at).strftime(
                    "%Y-%m-%d %H:%M")}})
        clean = values_clean(draw, values)
        external_value = alg.external_value_join(clean)
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
        draw.external_values = clean
        draw.external_value = external_value
        draw.seed = seed
        draw.executed_by = user
        draw.completed_at = at
        draw.result = {"institutions": chosen, "teams": teams, "problems": problems}
        draw.status = DrawStatus.FAILED if problems else DrawStatus.COMPLETED
        if not problems:
            _record(draw, chosen, teams, by_code, user)
            team_members_notify(draw, at=at)
        draw.save(update_fields=["external_values", "external_value", "seed", "executed_by",
                                 "completed_at", "result", "status"])
        ledger_append(kind=LedgerKind.DRAW_RUN, plan=draw.plan, at=at, payload={
            "draw": draw.pk, "status": draw.status, "external_values": clean,
            "server_seed": draw.server_seed, "seed": seed,
            "result_digest": result_digest(draw.result), "run_by": person(user),
            "completed_at": ledger_time(at)})
    return draw


def _record(draw: Draw, chosen: list[dict], teams: list[dict], by_code, user) -> None:
    """Write selections, tasks and team members of a successful draw, each with its history
    and audit event (``common.audit.audited_bulk_create``)."""
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
    audited_bulk_create([
        DrawSelection(draw=draw, institution_id=inst_ids[c["code"]], stratum=c["stratum"],
                      rank=c["rank"], key=c["key"]) for c in chosen], DrawSelection, user=user)
    tasks = audited_bulk_create([
        InspectionTask(plan=plan, institution_id=inst_ids[c["code"]], draw=draw,
                       stratum=c["stratum"], field_id=field_ids.get(by_code[c["code"]].field),
                       deadline=plan.period_end) for c in chosen], InspectionTask, user=user)
    task_by_code = {c["code"]: t for c, t in zip(chosen, tasks, strict=True)}
    if draw.kind == DrawKind.SUPPLEMENTARY_INSTITUTION:
        replaced = InspectionTask.objects.get(pk=draw.parameters["replaces"]["task"])
        replaced.status = TaskStatus.REPLACED
        replaced.save(update_fields=["status"])
        for member in TaskAssignment.objects.filter(task=replaced, active=True):
            member.active = False
            member.save(update_fields=["active"])
    audited_bulk_create([
        TaskAssignment(task=task_by_code[t["institution"]], inspector_id=ins_ids[m["code"]],
                       draw=draw, is_leader=m["leader"], matched_field=m["matched_field"],
                       fallback_reason=m["fallback"])
        for t in teams for m in t["members"]], TaskAssignment, user=user)
    if draw.kind == DrawKind.INSTITUTIONS:
        plan.status = PlanStatus.DRAWN
        plan.save(update_fields=["status"])


def _record_inspector_replacement(draw: Draw, teams: list[dict], ins_ids) -> None:
    replaced = draw.parameters["replaces"]
    old = TaskAssignment.objects.get(pk=replaced["assignment"])
    leader = old.is_leader
    old.active, old.is_leader = False, False
    old.save(update_fields=["active", "is_leader"])
    (member,) = teams[0]["members"]
    TaskAssignment.objects.create(
        task_id=old.task_id, inspector_id=ins_ids[member["code"]], draw=draw,
        is_leader=leader, matched_field=member["matched_field"],
        fallback_reason=member["fallback"])


def draw_run_claim(draw: Draw, user, *, now: dt.datetime | None = None) -> bool:
    """Mark ``draw`` as being run by ``user``, atomically: ``True`` for the first request,
    ``False`` when a run was already requested or the draw has run (a single UPDATE with the
    condition, so of concurrent requests exactly one gets ``True``)."""
    return Draw.objects.filter(pk=draw.pk, status=DrawStatus.COMMITTED,
                               run_requested_at__isnull=True).update(
        run_requested_at=now or clock.now(), run_requested_by=user) == 1


def draw_run_release(draw_id: int) -> None:
    """Undo a claim after a run that did not happen (refused, or failed), so it can be asked
    for again."""
    Draw.objects.filter(pk=draw_id, status=DrawStatus.COMMITTED).update(
        run_requested_at=None, run_requested_by=None)


def draw_run_refusal(draw: Draw, user, *, now: dt.datetime | None = None) -> str | None:
    """Why ``user`` cannot run ``draw`` now, as a sentence, or ``None`` if he can (the plan
    page shows it instead of the run form)."""
    if draw.status != DrawStatus.COMMITTED:
        return _("This draw has already run.")
    if draw.run_requested_at is not None:
        return _("This draw is being run (started %(time)s); it is recorded in a moment.") % {
            "time": timezone.localtime(draw.run_requested_at).strftime("%Y-%m-%d %H:%M:%S")}
    if not plan_can_manage(user, draw.plan):
        return _("Only a regulator of the organizing authority may run the draw.")
    if draw.external_known_at and (now or clock.now()) < draw.external_known_at:
        return _("The declared values are published at %(time)s; the draw can run after.") % {
            "time": timezone.localtime(draw.external_known_at).strftime("%Y-%m-%d %H:%M")}
    return None

