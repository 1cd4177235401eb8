"""The inspection statistics table (监督检查信息统计表) of one spot-check plan.

Source: seed 002 §五(四): after the campaign the provincial regulators report the inspection
statistics table (附件 3) — for 2023 by 24 November (``SpotCheckPlan.statistics_due``). One row per
testing field (the plan's strata) and a total row; the counts are institutions (tasks), not
findings.

The numbers are scoped: a regulator's table counts only tasks on institutions inside his
authority's region (``InspectionTask.objects.for_user``); an admin's, or a system run
(``user=None``), counts every task of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import region_prefix_for
from common import clock
from inspections.models import (
    FollowUpMeasure,
    InspectionResult,
    InspectionTask,
    PlanQuota,
    RectificationOrder,
    RectificationStatus,
    ResultCategory,
    SpotCheckPlan,
    TaskStatus,
)
from institutions.models import TestingField

# The official name of the form (seed 002 附件 3). A proper name of the document, like a law's
# title: it is printed as published, in every language, above the translated headings.
OFFICIAL_TITLE = "检验检测机构监督检查信息统计表"

# (attribute of StatisticsRow, column heading). Chinese wording for the zh_Hans catalogue in the
# translator comments.
COLUMNS: list[tuple[str, object]] = [
    # Translators: 计划抽查数
    ("planned", pgettext_lazy("statistics column", "Planned")),
    # Translators: 抽取任务数
    ("drawn", pgettext_lazy("statistics column", "Tasks drawn")),
    # Translators: 已检查数
    ("checked", pgettext_lazy("statistics column", "Checked")),
    # Translators: 发现问题数
    ("problems_found", pgettext_lazy("statistics column", "Problems found")),
    # Translators: 已整改数
    ("rectified", pgettext_lazy("statistics column", "Rectified")),
    # Translators: 立案查处数
    ("cases_opened", pgettext_lazy("statistics column", "Cases opened")),
    # Translators: 不配合检查数
    ("non_cooperation", pgettext_lazy("statistics column", "Refused to cooperate")),
    # Translators: 已关闭停业、注销或吊销数
    ("closed", pgettext_lazy("statistics column", "Closed or deregistered")),
]


@dataclass
class StatisticsRow:
    """One testing field (stratum) of the table; every count is a number of institutions."""

    field_code: str
    field_name: str
    planned: int = 0
    drawn: int = 0
    checked: int = 0
    problems_found: int = 0
    rectified: int = 0
    cases_opened: int = 0
    non_cooperation: int = 0
    closed: int = 0

    def values(self) -> list[int]:
        """The counts in :data:`COLUMNS` order."""
        return [getattr(self, name) for name, _label in COLUMNS]


@dataclass
class StatisticsTable:
    """The statistics table of one plan as one user sees it.

    ``rows``: one :class:`StatisticsRow` per testing field, in the plan's quota order, then the
    fields that have tasks but no quota; ``total``: the column sums (``field_code`` ``""``).
    ``scope``: who the numbers cover (authority and region, or the whole country);
    ``generated_at``: an aware datetime.
    """

    plan: SpotCheckPlan
    scope: str
    generated_at: dt.datetime
    rows: list[StatisticsRow] = field(default_factory=list)
    total: StatisticsRow = field(default_factory=lambda: StatisticsRow("", ""))

    @staticmethod
    def headings() -> list[str]:
        """Column headings after the field column, translated in the active language."""
        return [str(label) for _name, label in COLUMNS]


_COUNTED = [f.name for f in fields(StatisticsRow) if f.name not in ("field_code", "field_name")]


def _covers_whole_plan(plan: SpotCheckPlan, user) -> bool:
    """True when ``user`` sees every task the plan can have, so its quotas are his to report."""
    if user is None:
        return True
    prefix = region_prefix_for(user)
    if prefix is None:
        return False
    return prefix == "" or (plan.region_id is not None and plan.region_id.startswith(prefix))


def scope_label(user) -> str:
    """Human-readable scope of ``user``'s numbers: "authority (region)" or the whole country."""
    authority = getattr(user, "authority", None) if user is not None else None
    if user is None or region_prefix_for(user) == "":
        whole = _("Nationwide")
        return f"{authority.name} · {whole}" if authority else whole
    if authority is None:
        return ""
    region = authority.region
    return f"{authority.name} · {region.name}" if region else authority.name


def inspection_statistics(*, plan: SpotCheckPlan, user=None) -> StatisticsTable:
    """Compute the inspection statistics table of ``plan`` as ``user`` may see it.

    Columns per testing field (seed 002 §五(四), 附件 3), each a number of institutions:

    * ``planned`` — the quota (``PlanQuota.count``) when the user's scope covers the whole plan;
      for a narrower scope (a province's view of a national plan), or a field without a quota
      count, the tasks drawn in scope;
    * ``drawn`` — tasks (replaced tasks are left out: the supplementary draw's task counts);
    * ``checked`` — tasks with a result in force (approved or published, the correction once
      approved: ``InspectionResult.objects.effective``);
    * ``problems_found`` — result category in ``ResultCategory.problem_found()``;
    * ``rectified`` — an accepted ``RectificationOrder``, or the result "problem corrected";
    * ``cases_opened`` — follow-up ``FollowUpMeasure.CASE_OPENED``;
    * ``non_cooperation`` / ``closed`` — result categories "refused to cooperate" and
      "closed" or "deregistered".

    ``user=None`` counts everything (a system run); otherwise only
    ``InspectionTask.objects.for_user(user)``. At most four queries whatever the plan's size:
    quotas, one grouped aggregate over tasks, the user's authority and its region. Raises nothing
    for a plan without tasks: the table then has the quota rows with zeros.
    """
    tasks = InspectionTask.objects.all() if user is None else InspectionTask.objects.for_user(user)
    if tasks.query.distinct:  # a join-based scope: group over plain rows
        tasks = InspectionTask.objects.filter(pk__in=tasks.values("pk"))
    tasks = tasks.filter(plan=plan).exclude(status=TaskStatus.REPLACED)
    accepted = RectificationOrder.objects.filter(task=OuterRef("pk"),
                                                 status=RectificationStatus.ACCEPTED)
    effective = InspectionResult.objects.effective().filter(task=OuterRef("pk"))
    problem = Q(r_category__in=ResultCategory.problem_found())
    field_of_stratum = TestingField.objects.filter(code=OuterRef("stratum"))
    aggregates = (
        tasks.annotate(accepted=Exists(accepted),
                       r_category=Subquery(effective.values("category")[:1]),
                       r_follow_up=Subquery(effective.values("follow_up")[:1]))
        .order_by()
        .values("stratum")
        .annotate(
            stratum_name=Subquery(field_of_stratum.values("name")[:1]),
            stratum_order=Subquery(field_of_stratum.values("sort_order")[:1]),
            drawn=Count("pk"),
            checked=Count("pk", filter=Q(r_category__isnull=False)),
            problems_found=Count("pk", filter=problem),
            rectified=Count("pk", filter=Q(r_category__isnull=False) & (
                Q(accepted=True) | Q(r_category=ResultCategory.PROBLEM_CORRECTED))),
            cases_opened=Count("pk", filter=Q(r_follow_up=FollowUpMeasure.CASE_OPENED)),
            non_cooperation=Count("pk", filter=Q(r_category=ResultCategory.NON_COOPERATION)),
            closed=Count("pk", filter=Q(r_category__in=[
                ResultCategory.CLOSED, ResultCategory.DEREGISTERED])),
        )
    )
    whole = _covers_whole_plan(plan, user)
    # Rows are the draw's strata (InspectionTask.stratum): a quota's field code, or a credit
    # class in the class-ratio mode. An institution drawn in the catch-all stratum ("其他")
    # counts there, not under its own primary field, so "planned" and "drawn" add up.
    rows: dict[object, StatisticsRow] = {}
    quota_counts: dict[object, int | None] = {}
    for quota in PlanQuota.objects.filter(plan=plan).select_related("field"):
        rows[quota.field.code] = StatisticsRow(quota.field.code, quota.field.name)
        quota_counts[quota.field.code] = quota.count
    extra: list[tuple[int, str, object]] = []
    for agg in aggregates:
        key = agg["stratum"]
        row = rows.get(key)
        if row is None:
            name = agg["stratum_name"] or (_("Credit risk class %(c)s") % {"c": key}
                                           if key in ("A", "B", "C", "D") else key)
            row = rows[key] = StatisticsRow(key, name)
            extra.append((agg["stratum_order"] or 0, row.field_code, key))
        for name in _COUNTED:
            if name != "planned":
                setattr(row, name, getattr(row, name) + agg[name])
    quota_keys = list(quota_counts)
    ordered = quota_keys + [key for *_sort, key in sorted(extra, key=lambda e: e[:2])]
    table = StatisticsTable(plan=plan, scope=scope_label(user), generated_at=clock.now())
    for key in ordered:
        row = rows[key]
        count = quota_counts.get(key)
        row.planned = count if whole and count is not None else row.drawn
        table.rows.append(row)
    for name in _COUNTED:
        setattr(table.total, name, sum(getattr(r, name) for r in table.rows))
    table.total.field_name = _("Total")
    return table
