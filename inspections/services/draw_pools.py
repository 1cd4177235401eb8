"""Building the frozen pools of a draw from the registries, as they stand at draw time.

Institution pool (seed 001 §三(三); seed 002 §二–三): the plan's jurisdiction, certificate level
(national plans draw institutions holding a valid SAMR-issued certificate), institution kinds
(natures) and fields; suspended, revoked and deregistered institutions are out; institutions
checked in the last N months (``plan.exclude_checked_months``, from the inspection history) are
out. Every exclusion is counted, so the published pool explains itself.

Stratum rule (an institution active in several fields is drawn at most once): each institution
belongs to exactly one stratum — its primary field's stratum if the plan names that field; else
the catch-all stratum ("其他") if the plan has one; else the first of the plan's strata, in plan
order, among its other fields. In the class-ratio mode the strata are the credit risk classes.

Inspector pool: active inspectors with an enforcement card valid on the draw date, of the
authorities taking part (the organizing and participating authorities, wherever they sit) and of
the other authorities of the same departments inside the plan's jurisdiction. Each carries its recusal ties: declared ties (``Recusal``), a former employer
within ``plan.recuse_former_employer_years``, and (rotation) the institutions he inspected in the
previous cycle (plans of ``plan.year - 1``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from accounts.scoping import region_code_prefix
from common.db import raw_rows
from inspections.drawing.algorithm import (
    NO_CLASS,
    Entry,
    InspectorEntry,
    entry_make,
    inspector_entry_make,
)
from institutions.models import Institution, InstitutionStatus, TestingField
from qualifications.models import Certificate, CertificateStatus

from ..models import (
    CertificateLevel,
    InspectionTask,
    Inspector,
    Recusal,
    RecusalKind,
    SelectionMode,
    SpotCheckPlan,
    TaskAssignment,
)

DEFAULT_CLASS = "B"  # an institution never classified counts as "general risk"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def plan_strata(plan: SpotCheckPlan, field_codes: dict[int, str]) -> tuple[list[str], str | None]:
    """Stratum ids of a plan in order, and the catch-all stratum (or ``None``)."""
    if plan.selection_mode == SelectionMode.CLASS_RATIO:
        return ["D", "C", "B", "A"], None
    quotas = list(plan.quotas.select_related("field"))
    if quotas:
        strata = [q.field.code for q in quotas]
        catch_all = next((q.field.code for q in quotas if q.field.is_catch_all), None)
        return strata, catch_all
    fields = list(plan.fields.all())
    if fields:
        return [f.code for f in fields], next((f.code for f in fields if f.is_catch_all), None)
    return ["all"], "all"


#: where the draw reads credit risk classes: a callable ``() -> {institution id: class}`` set by
#: the credit app when it loads (``credit.apps.CreditConfig.ready``; the credit app sits above
#: this one, so it registers itself rather than being imported). Without it, the class recorded
#: on the institution is used.
_risk_class_source: Callable[[], dict[int, str]] | None = None


def risk_class_source_set(source: Callable[[], dict[int, str]] | None) -> None:
    """Register the function the draw reads credit risk classes from (``None`` to unset)."""
    global _risk_class_source
    _risk_class_source = source


def risk_classes() -> dict[int, str]:
    """Latest credit risk class per institution id, from the registered source."""
    return _risk_class_source() if _risk_class_source is not None else {}


def certificate_level_holders(level: str, *, on: dt.date) -> set[int] | None:
    """Ids of the institutions holding a certificate of ``level`` (national: issued by SAMR,
    number segment ``00``; provincial: by a province) valid on ``on`` — issued by then, not
    past its end, status valid. ``None`` for any level. One query. Seed 002 §二
    (national-level institutions), §三 (provincial ones); the number's segments:
    ``qualifications.validators``."""
    if level == CertificateLevel.ANY:
        return None
    certs = Certificate.objects.filter(status=CertificateStatus.VALID, issued_on__lte=on,
                                       valid_until__gte=on).order_by()
    if level == CertificateLevel.NATIONAL:
        certs = certs.filter(number__regex=r"^[0-9]{2}00")
    else:
        certs = certs.exclude(number__regex=r"^[0-9]{2}00")
    return {i for (i,) in raw_rows(certs.values_list("institution_id"))}


def institution_pool_build(*, plan: SpotCheckPlan, at: dt.datetime,
                           exclude_ids: set[int] | None = None
                           ) -> tuple[list[Entry], dict[str, int]]:
    """Read the institution registry and return ``(entries, exclusions)``.

    ``exclusions`` maps a reason code to how many institutions of the jurisdiction it removed:
    ``status_suspended``, ``status_revoked``, ``status_deregistered``,
    ``certificate_level_not_in_plan``, ``kind_not_in_plan``,
    ``field_not_in_plan``, ``checked_within_<N>_months``, ``already_in_plan``.
    """
    field_codes = dict(TestingField.objects.values_list("id", "code"))
    strata, catch_all = plan_strata(plan, field_codes)
    named = set(strata) - {catch_all}
    plan_field_codes = {field_codes[i] for i in plan.fields.values_list("id", flat=True)}
    prefix = region_code_prefix(plan.region_id)
    base = Institution.objects.order_by()  # the pool is sorted when serialised
    if prefix:
        base = base.filter(region__code__startswith=prefix)
    class_mode = plan.selection_mode == SelectionMode.CLASS_RATIO
    need_fields = bool(plan_field_codes) or (catch_all is None and not class_mode)
    other_fields: dict[int, list[str]] = defaultdict(list)
    if need_fields:
        through = Institution.fields.through.objects.all()
        if prefix:
            through = through.filter(institution__region__code__startswith=prefix)
        for inst_id, fid in raw_rows(through.values_list("institution_id", "testingfield_id")):
            other_fields[inst_id].append(field_codes[fid])
    recent: set[int] = set()
    months = plan.exclude_checked_months
    if months:
        since = months_before(at.date(), months)
        recent = set(InspectionTask.objects.filter(draw__completed_at__date__gte=since)
                     .exclude(plan=plan).values_list("institution_id", flat=True))
    recent_reason = f"checked_within_{months}_months"
    skip = exclude_ids or set()
    classes = risk_classes()
    natures = set(plan.natures or [])
    # stratum by primary field: its own if the plan names it, else the catch-all; ``None``
    # means "the first of the plan's strata among the institution's other fields"
    stratum_of = {fid: code if code in named else catch_all for fid, code in field_codes.items()}
    active = InstitutionStatus.ACTIVE.value
    exclusions: Counter[str] = Counter()
    entries: list[Entry] = []
    append = entries.append
    holders = certificate_level_holders(plan.certificate_level,
                                        on=timezone.localtime(at).date())
    rows = raw_rows(base.values_list("id", "uscc", "status", "nature", "primary_field_id",
                                     "is_national_centre", "credit_class", "region_id"))
    for inst_id, code, status, nature, pf_id, centre, recorded, region in rows:
        if status != active:
            exclusions[f"status_{status}"] += 1
            continue
        if holders is not None and inst_id not in holders:
            exclusions["certificate_level_not_in_plan"] += 1
            continue
        if natures and nature not in natures:
            exclusions["kind_not_in_plan"] += 1
            continue
        primary = field_codes[pf_id]
        if plan_field_codes and primary not in plan_field_codes and not (
                plan_field_codes.intersection(other_fields.get(inst_id, ()))):
            exclusions["field_not_in_plan"] += 1
            continue
        if inst_id in recent:
            exclusions[recent_reason] += 1
            continue
        if inst_id in skip:
            exclusions["already_in_plan"] += 1
            continue
        risk = classes.get(inst_id) or recorded or NO_CLASS
        if class_mode:
            stratum = risk if risk != NO_CLASS else DEFAULT_CLASS
        else:
            stratum = stratum_of[pf_id]
            if stratum is None:
                stratum = next((s for s in strata if s in other_fields.get(inst_id, ())), None)
                if stratum is None:
                    exclusions["field_not_in_plan"] += 1
                    continue
        append(entry_make(code, stratum, centre, risk, primary, region))
    return entries, dict(sorted(exclusions.items()))


def plan_departments(plan: SpotCheckPlan) -> list[str]:
    """Departments taking part: the organizing authority's and the participating ones'."""
    deps = [plan.authority.department]
    deps += [a.department for a in plan.participating_authorities.all()]
    return list(dict.fromkeys(deps))


def inspector_pool_build(*, plan: SpotCheckPlan, at: dt.datetime) -> list[InspectorEntry]:
    """Read the inspector registry; return the pool's entries (unsorted).

    The fields, recusals and previous-cycle assignments are read for every active inspector
    with a valid card (a plain join, much faster than repeating the pool's authority filter as
    a subquery); those of inspectors outside the pool are simply never looked up.
    """
    day = at.date()
    prefix = region_code_prefix(plan.region_id)
    taking_part = [plan.authority_id, *plan.participating_authorities.values_list("id",
                                                                                flat=True)]
    same_departments = Q(authority__department__in=plan_departments(plan))
    if prefix:
        same_departments &= Q(authority__region__code__startswith=prefix)
    eligible = {"inspector__active": True, "inspector__card_valid_until__gte": day}
    qs = Inspector.objects.filter(Q(authority_id__in=taking_part) | same_departments,
                                  active=True, card_valid_until__gte=day).order_by()
    field_codes = dict(TestingField.objects.values_list("id", "code"))
    fields: dict[int, set[str]] = defaultdict(set)
    through = Inspector.fields.through.objects.filter(**eligible)
    for ins_id, fid in raw_rows(through.values_list("inspector_id", "testingfield_id")):
        fields[ins_id].add(field_codes[fid])
    ties: dict[int, dict[str, str]] = defaultdict(dict)
    for ins_id, code, kind in raw_rows(Recusal.objects.filter(**eligible).values_list(
            "inspector_id", "institution__uscc", "kind")):
        ties[ins_id][code] = kind
    if plan.recuse_previous_cycle:
        prev = TaskAssignment.objects.filter(task__plan__year=plan.year - 1, **eligible)
        for ins_id, code in raw_rows(prev.values_list("inspector_id",
                                                      "task__institution__uscc")):
            ties[ins_id].setdefault(code, RecusalKind.PREVIOUS_CYCLE.value)
    since = dt.date(day.year - plan.recuse_former_employer_years, day.month,
                    min(day.day, 28))
    former = RecusalKind.FORMER_EMPLOYER.value
    no_fields: frozenset[str] = frozenset()
    entries: list[InspectorEntry] = []
    rows = raw_rows(qs.values_list("id", "card_number", "authority__department",
                                   "home_county_id", "former_employer__uscc", "employed_until"))
    for ins_id, card, dept, county, employer, until in rows:
        t = ties.get(ins_id, {})
        if employer and (until is None or until >= since):
            t = {**t, employer: former}
        f = fields.get(ins_id)
        entries.append(inspector_entry_make(card, dept, frozenset(f) if f else no_fields,
                                            county or "-", t))
    return entries
