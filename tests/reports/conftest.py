"""Fixtures of the reports tests: a small hand-built plan with known numbers, files in a temp dir,
Celery eager even when a broker is configured.

The plan (national, three quotas) and its tasks; expected counts are in ``EXPECTED_*`` of the
tests. Guangdong (4401xx) institutions: 食品检验 ×3 (+1 replaced), 机动车检验 ×2, 生态环境监测 ×1;
Hunan (4301xx): 食品检验 ×1, 机械设备 ×1 (a field without quota).
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.celery import app as celery_app
from inspections.models import (
    Authority,
    Draw,
    DrawKind,
    FollowUpMeasure,
    InspectionResult,
    InspectionTask,
    PlanQuota,
    RectificationOrder,
    RectificationStatus,
    ResultCategory,
    ResultState,
    SpotCheckPlan,
    TaskStatus,
)
from tests.factories import InstitutionFactory, field, region


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def plan_make(*, title="2023年度测试统计抽查", region_code=None) -> SpotCheckPlan:
    return SpotCheckPlan.objects.create(
        title=title, year=2023, authority=Authority.objects.get(name="市场监管总局"),
        region=region(region_code) if region_code else None,
        period_start=dt.date(2023, 10, 1), period_end=dt.date(2023, 11, 15),
        statistics_due=dt.date(2023, 11, 24))


def draw_make(plan: SpotCheckPlan) -> Draw:
    return Draw.objects.create(
        plan=plan, kind=DrawKind.INSTITUTIONS, algorithm_version="test-1", pool="[]",
        pool_digest="0" * 64, pool_size=0, commitment="1" * 64, server_seed="2" * 64)


def task_make(plan, draw, *, field_code, region_code="440103", status=TaskStatus.ASSIGNED,
              category=None, follow_up=FollowUpMeasure.NONE, orders=(), recorded_by=None):
    """One task on a fresh institution, with an optional result and rectification orders."""
    institution = InstitutionFactory(region=region(region_code), primary_field=field(field_code))
    task = InspectionTask.objects.create(
        plan=plan, institution=institution, draw=draw, stratum=field_code,
        field=field(field_code), deadline=dt.date(2023, 11, 15), status=status)
    if category is not None:
        InspectionResult.objects.create(task=task, category=category, follow_up=follow_up,
                                        checked_on=dt.date(2023, 10, 20), recorded_by=recorded_by,
                                        state=ResultState.PUBLISHED)
    for order_status in orders:
        RectificationOrder.objects.create(task=task, institution=institution, requirements="整改",
                                          deadline=dt.date(2023, 12, 31), status=order_status)
    return task


@pytest.fixture
def stats_plan(ref, admin_user):
    """The hand-built plan described in the module docstring."""
    plan = plan_make()
    PlanQuota.objects.create(plan=plan, field=field("07"), count=3, sort_order=1)
    PlanQuota.objects.create(plan=plan, field=field("03"), count=2, sort_order=2)
    PlanQuota.objects.create(plan=plan, field=field("02"), count=None, sort_order=3)
    draw = draw_make(plan)
    r = ResultCategory
    accepted, open_ = RectificationStatus.ACCEPTED, RectificationStatus.OPEN
    make = dict(recorded_by=admin_user)
    task_make(plan, draw, field_code="07", category=r.NO_PROBLEM, **make)
    task_make(plan, draw, field_code="07", category=r.PROBLEM_CORRECTED,
              follow_up=FollowUpMeasure.RECTIFICATION, orders=[open_], **make)
    task_make(plan, draw, field_code="07", category=r.PROBLEM_PENDING,
              follow_up=FollowUpMeasure.CASE_OPENED, orders=[accepted, open_], **make)
    task_make(plan, draw, field_code="07", status=TaskStatus.REPLACED)
    task_make(plan, draw, field_code="03", category=r.NON_COOPERATION,
              follow_up=FollowUpMeasure.CASE_OPENED, **make)
    task_make(plan, draw, field_code="03")
    task_make(plan, draw, field_code="02", category=r.CLOSED, **make)
    task_make(plan, draw, field_code="07", region_code="430102", category=r.PROBLEM_PENDING,
              follow_up=FollowUpMeasure.RECTIFICATION, orders=[open_], **make)
    task_make(plan, draw, field_code="20", region_code="430102", category=r.DEREGISTERED, **make)
    return plan
