"""Plans: who organizes them, their jurisdiction, their publication and their draw parameters.

A plan is organized by an authority; the regulators of that authority (and nobody else:
platform administrators run the platform, not the plans) publish it, run its draws, approve its
replacements and publish its results. Its jurisdiction lies inside the organizing authority's
region: only a national authority organizes a national plan. Publishing makes the quotas,
weights and rules public (一公开) and records them in the public ledger. Sources: seed 001
§三(三) (unified deployment, differentiated ratios), seed 002 §二–三.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import region_code_prefix, within
from common import clock
from common.audit import acts
from common.ledger import canonical_json, sha256_hex
from inspections.drawing import algorithm as alg
from institutions.models import TestingField

from ..models import LedgerKind, PlanStatus, RiskWeighting, SelectionMode, SpotCheckPlan
from ..models.plans import validate_class_ratios, validate_class_weights
from .draw_pools import plan_strata
from .ledger import ledger_append, ledger_time, person


def plan_can_manage(user, plan: SpotCheckPlan) -> bool:
    """Whether ``user`` organizes ``plan``: an active regulator of its organizing authority."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_regulator and user.authority_id == plan.authority_id


def require_manager(user, plan: SpotCheckPlan) -> None:
    """Raise ``PermissionDenied`` unless ``user`` organizes ``plan``."""
    if not plan_can_manage(user, plan):
        raise PermissionDenied(_("Only a regulator of the organizing authority may do this."))


def plan_jurisdiction_problems(*, authority, region_id: str | None) -> dict[str, str]:
    """Why a plan of ``authority`` over ``region_id`` (``None``: national) may not exist, by
    field: the jurisdiction must lie inside the authority's region, so only a national
    authority organizes a national plan. Empty when it may."""
    if authority is None:
        return {"authority": _("Choose the organizing authority.")}
    prefix = region_code_prefix(authority.region_id)
    if region_id is None and prefix:
        return {"region": _("Only a national authority organizes a national plan; choose a "
                            "jurisdiction inside %(region)s.") % {"region": authority.region}}
    if region_id is not None and not within(region_id, prefix):
        return {"region": _("The jurisdiction lies outside the organizing authority's region.")}
    return {}


def rules_digest(parameters: dict) -> str:
    """SHA-256 of the canonical JSON of a plan's draw parameters (as published)."""
    return sha256_hex(canonical_json(parameters))


@acts
@transaction.atomic
def plan_publish(*, plan: SpotCheckPlan, user, now=None) -> SpotCheckPlan:
    """Publish a draft plan (一公开): from now on its quotas, weights and rules are public, and
    the public ledger records them (entry ``plan_published`` with the full parameters).

    Raises ``PermissionDenied`` (not the organizer) or ``ValidationError`` naming ``status``
    (not a draft), ``region`` (jurisdiction outside the organizer's region) or the plan field
    whose draw setting is missing or wrong.
    """
    require_manager(user, plan)
    plan = SpotCheckPlan.objects.select_for_update().select_related("authority").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be published.")})
    problems = plan_jurisdiction_problems(authority=plan.authority, region_id=plan.region_id)
    if problems:
        raise ValidationError(problems)
    parameters = draw_parameters(plan)  # validates the plan's draw settings
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = now or clock.now()
    plan.save(update_fields=["status", "published_at"])
    ledger_append(kind=LedgerKind.PLAN_PUBLISHED, plan=plan, at=plan.published_at, payload={
        "plan": plan.pk, "title": plan.title, "year": plan.year,
        "authority": plan.authority.name, "jurisdiction": plan.region_id,
        "certificate_level": plan.certificate_level,
        "published_by": person(user), "published_at": ledger_time(plan.published_at),
        "parameters": parameters, "parameters_digest": rules_digest(parameters)})
    return plan


def _decimal_text(value) -> str:
    """A number as its shortest exact decimal text (``8`` → ``"8"``, ``0.5`` → ``"0.5"``)."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def draw_parameters(plan: SpotCheckPlan) -> dict:
    """Everything that decides the draw, as published: ``{"institutions": spec, "inspectors":
    rules}`` (see :func:`inspections.drawing.algorithm.allocate` and ``select_teams``). Numbers
    that are not integers (ratios, weights) are decimal strings, so the parameters hash the
    same in every language (``common.ledger.canonical_json``).

    Raises ``ValidationError`` naming the plan field that is missing or wrong.
    """
    field_codes = dict(TestingField.objects.values_list("id", "code"))
    strata, _catch_all = plan_strata(plan, field_codes)
    spec: dict = {"mode": plan.selection_mode, "strata": strata}
    mode = plan.selection_mode
    quotas = list(plan.quotas.select_related("field"))
    if mode == SelectionMode.QUOTAS:
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
    centres = {q.field.code: q.national_centre_count for q in quotas
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
        spec["weights"] = {c: _decimal_text(weights.get(c, 1)) for c in alg.CLASSES}
    if plan.inspectors_per_task < 2:
        raise ValidationError({"inspectors_per_task": _("At least two inspectors per task.")})
    leads = {q.field.code: q.lead_department for q in quotas if q.lead_department}
    rules = {"per_task": plan.inspectors_per_task, "cap": plan.workload_cap,
             "same_county": plan.recuse_same_county,
             "departments": list(plan.joint_departments or []), "leads": leads}
    return {"institutions": spec, "inspectors": rules}
