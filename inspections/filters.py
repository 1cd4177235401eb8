"""Open-data querysets and filters of the public record (一公开): published plans, their draws
and the published results (``/api/v1/``).

Every base queryset starts from the public selector (``SpotCheckPlan.objects.published()``,
``Draw.objects.published()``, ``InspectionResult.objects.published()``), never from all rows:
a draft plan, its draws and any result revision that is not published (recorded, pending
review, returned, approved, superseded) never appear. Sources: seed 002 §五(三) (publish the
results), seed 001 §三(三) (one public). Each queryset loads what its serializer reads in a
fixed number of queries, and is what the bulk files iterate (``reports.opendata``).

Malformed values answer 400 ``{"<parameter>": ["message"]}`` in the request's language.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters import ChoiceFilter, DateFilter, FilterSet

from common.publicapi import IntegerFilter, StableOrderingFilter, StrictBooleanFilter
from qualifications.filters import RegionPrefixFilter, UsccFilter

from .models import (
    CertificateLevel,
    Draw,
    DrawKind,
    DrawStatus,
    FollowUpMeasure,
    InspectionResult,
    PlanQuota,
    PlanStatus,
    ResultCategory,
    SpotCheckPlan,
)

#: the statuses a published plan can have (a draft is never public)
PUBLIC_PLAN_STATUSES = [(value, label) for value, label in PlanStatus.choices
                        if value != PlanStatus.DRAFT]

#: Draw columns the summary never reads (the frozen pools can be megabytes; the server seed is
#: shown only by the detail, after the run)
_DRAW_HEAVY = ("pool", "inspector_pool", "result", "parameters", "server_seed", "exclusions",
               "external_values", "external_value", "external_sources", "reason")


def plans_open() -> QuerySet[SpotCheckPlan]:
    """Published plans (``SpotCheckPlan.objects.published()``) with authority and jurisdiction
    joined and quotas (with their field) prefetched; newest year first. Two queries per page."""
    quotas = PlanQuota.objects.select_related("field").order_by("sort_order", "id")
    return (SpotCheckPlan.objects.published()
            .select_related("authority", "region")
            .prefetch_related(Prefetch("quotas", queryset=quotas))
            .order_by("-year", "pk"))


def draws_open() -> QuerySet[Draw]:
    """Draws of published plans (``Draw.objects.published()``) with the plan joined, without
    the heavy columns; newest first. One query per page."""
    return (Draw.objects.published().select_related("plan").defer(*_DRAW_HEAVY)
            .order_by("-created_at", "-id"))


def results_open() -> QuerySet[InspectionResult]:
    """The published revision of each task on a published plan
    (``InspectionResult.objects.published()``) with task, plan, institution and the corrected
    revision joined; newest publication first. One query per page."""
    return (InspectionResult.objects.published()
            .select_related("task__plan", "task__institution", "corrects")
            .defer("findings", "rectification_requirements", "review_note",
                   "task__institution__address", "task__institution__contact_person",
                   "task__institution__contact_phone", "task__institution__credit_class")
            .order_by("-published_at", "-id"))


class PlanOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/plans/``: ``year``, ``status`` (published / drawn / closed),
    ``certificate_level`` (any / national / provincial), ``national`` (true: national
    jurisdiction), ``region`` (jurisdiction code or prefix; national plans have none),
    ``ordering`` (``year``, ``period_start``, ``published_at``)."""

    year = IntegerFilter(field_name="year", help_text="Plan year, e.g. 2023.")
    status = ChoiceFilter(choices=PUBLIC_PLAN_STATUSES)
    certificate_level = ChoiceFilter(choices=CertificateLevel.choices)
    national = StrictBooleanFilter(field_name="region", lookup_expr="isnull",
                                   help_text="true: national plans; false: regional ones.")
    region = RegionPrefixFilter(field_name="region__code",
                                help_text="Jurisdiction division code or prefix.")
    ordering = StableOrderingFilter(fields=(("year", "year"), ("period_start", "period_start"),
                                            ("published_at", "published_at")))

    class Meta:
        model = SpotCheckPlan
        fields: list = []


class DrawOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/draws/``: ``plan`` (id), ``year`` (the plan's), ``kind``,
    ``status``, ``ordering`` (``committed_at``, ``completed_at``)."""

    plan = IntegerFilter(field_name="plan_id", help_text="Plan id.")
    year = IntegerFilter(field_name="plan__year", help_text="The plan's year.")
    kind = ChoiceFilter(choices=DrawKind.choices)
    status = ChoiceFilter(choices=DrawStatus.choices)
    ordering = StableOrderingFilter(fields=(("created_at", "committed_at"),
                                            ("completed_at", "completed_at")))

    class Meta:
        model = Draw
        fields: list = []


class ResultOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/results/``: ``plan`` (id), ``year`` (the plan's),
    ``category``, ``follow_up``, ``region`` (the institution's code or prefix), ``uscc``,
    ``corrected`` (true: corrections only), ``checked_from`` / ``checked_to`` (check date,
    inclusive), ``ordering`` (``published_at``, ``checked_on``)."""

    plan = IntegerFilter(field_name="task__plan_id", help_text="Plan id.")
    year = IntegerFilter(field_name="task__plan__year", help_text="The plan's year.")
    category = ChoiceFilter(choices=ResultCategory.choices)
    follow_up = ChoiceFilter(choices=FollowUpMeasure.choices)
    region = RegionPrefixFilter(field_name="task__institution__region__code",
                                help_text="The institution's division code or prefix.")
    uscc = UsccFilter(field_name="task__institution__uscc", help_text="The institution's USCC.")
    corrected = StrictBooleanFilter(field_name="corrects", lookup_expr="isnull", exclude=True,
                                    help_text="true: corrections (更正) only; false: none.")
    checked_from = DateFilter(field_name="checked_on", lookup_expr="gte",
                              help_text="Checked on or after (ISO date).")
    checked_to = DateFilter(field_name="checked_on", lookup_expr="lte",
                            help_text="Checked on or before (ISO date).")
    ordering = StableOrderingFilter(fields=(("published_at", "published_at"),
                                            ("checked_on", "checked_on")))

    class Meta:
        model = InspectionResult
        fields: list = []
