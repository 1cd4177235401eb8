"""Fixtures for the self-inspection, result and rectification tests: the 2023 national plan,
published, with a completed draw, one task in Guangzhou (team: the inspector fixture and a second
inspector) and one in Changsha."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import (
    Draw,
    DrawStatus,
    InspectionTask,
    PlanStatus,
    RectificationOrder,
    SelfInspectionCampaign,
    SpotCheckPlan,
    TaskAssignment,
)
from inspections.services.results import result_record
from inspections.services.review import result_approve

from ..factories import InspectorFactory, UserFactory


@pytest.fixture
def plan(ref):
    SpotCheckPlan.objects.filter(year=2023).update(status=PlanStatus.PUBLISHED)
    return SpotCheckPlan.objects.get(year=2023)


@pytest.fixture
def campaign(plan):
    return SelfInspectionCampaign.objects.get(plan=plan)


@pytest.fixture
def draw(plan):
    return Draw.objects.create(
        plan=plan, kind="institutions", status=DrawStatus.COMPLETED, algorithm_version="test-1",
        pool="[]", pool_digest="0" * 64, pool_size=2, commitment="c" * 64, server_seed="s" * 64,
        completed_at=timezone.now())


@pytest.fixture
def task(plan, draw, institution, inspector_user):
    task = InspectionTask.objects.create(plan=plan, institution=institution, draw=draw,
                                         stratum="07", deadline=dt.date(2023, 11, 20))
    TaskAssignment.objects.create(task=task, inspector=inspector_user.inspector, draw=draw,
                                  is_leader=True)
    TaskAssignment.objects.create(task=task, inspector=InspectorFactory(name="李同事"), draw=draw)
    return task


@pytest.fixture
def other_task(plan, draw, other_institution):
    return InspectionTask.objects.create(plan=plan, institution=other_institution, draw=draw,
                                         stratum="07", deadline=dt.date(2023, 11, 20))


@pytest.fixture
def samr_authority(ref):
    from inspections.models import Authority

    return Authority.objects.get(name="市场监管总局")


@pytest.fixture
def samr_organizer(samr_authority):
    """A regulator of SAMR, which organizes the 2023 national plan: publishes its results."""
    return UserFactory(username="samr_organizer", role="regulator", authority=samr_authority,
                       is_staff=True, first_name="国家局监管员")


@pytest.fixture
def samr_reviewer(samr_authority):
    """A second SAMR regulator: reviews the results the teams record."""
    return UserFactory(username="samr_reviewer", role="regulator", authority=samr_authority,
                       is_staff=True, first_name="国家局审核员")


@pytest.fixture
def other_inspector_user(gd_authority):
    """An inspector of the same authority who is on no team."""
    user = UserFactory(username="other_inspector", role="inspector", authority=gd_authority)
    InspectorFactory(user=user, name="王其他", authority=gd_authority)
    return user


@pytest.fixture
def order(task, inspector_user, samr_reviewer) -> RectificationOrder:
    """An open rectification order on the Guangzhou task: the result recorded by the team and
    approved by the reviewer, which issues the order."""
    result = result_record(task=task, category="problem_pending", follow_up="rectification",
                           findings="原始记录不完整", checked_on=dt.date(2023, 11, 1),
                           user=inspector_user, rectification_deadline=dt.date(2023, 12, 1),
                           rectification_requirements="补齐原始记录", submit=True)
    result_approve(result=result, user=samr_reviewer)
    return RectificationOrder.objects.get(task=task)


def answers(campaign, answer="yes", remark=""):
    """One answer per focus item."""
    return [{"answer": answer, "remark": remark} for _ in campaign.focus_items]
