"""Fixtures of the open-data API tests: a public world built through the real services, with
its non-public twins that must never show.

``world``: the 2023 national plan published, a completed draw, three tasks —

* Guangzhou (``institution``): a result published (rectification ordered), then corrected
  (case opened): revision 2 published, revision 1 superseded, its credit event superseded;
* Changsha (``other_institution``): a clean result published (its credit event is not public);
* Shenzhen: a result approved but not published;

a draft plan with a draw and a task whose result row says "published" (a draft is never
public); a public penalty and a non-public event; certificates national, provincial, expired by
date and suspended; a national centre; an institution whose name looks like a formula.

Rate limits are off and the cache empty unless a test turns them on; the default language is
active; bulk files go to a temporary ``MEDIA_ROOT``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from credit.models import CreditEvent
from credit.services import credit_event_record
from inspections.models import (
    Draw,
    DrawStatus,
    InspectionResult,
    InspectionTask,
    PlanStatus,
    SpotCheckPlan,
    TaskAssignment,
)
from inspections.services.results import result_correct, result_record
from inspections.services.review import result_approve
from qualifications.models import Certificate
from tests.portal import conftest as _portal

from ..cycle import publish
from ..factories import CertificateFactory, InstitutionFactory, region
from ..factories import field as testing_field

CHECKED = dt.date(2023, 11, 1)

# the portal's fixtures: the 2023 national plan published, its draw and tasks, SAMR's people
plan = _portal.plan
draw = _portal.draw
task = _portal.task
other_task = _portal.other_task
samr_authority = _portal.samr_authority
samr_organizer = _portal.samr_organizer
samr_reviewer = _portal.samr_reviewer


@pytest.fixture(autouse=True)
def _api_defaults(settings, tmp_path):
    """Rate limits off, empty cache, default language, private media in a temporary folder."""
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    plan: SpotCheckPlan
    draft_plan: SpotCheckPlan
    draw: Draw
    draft_draw: Draw
    corrected: InspectionResult  # revision 2 of the Guangzhou task, published
    superseded: InspectionResult  # revision 1 of it
    clean: InspectionResult  # Changsha, published
    approved: InspectionResult  # Shenzhen, approved, not published
    draft_result: InspectionResult  # on the draft plan
    penalty: CreditEvent  # public, manual
    hidden_event: CreditEvent  # not public
    superseded_event: CreditEvent
    case_event: CreditEvent  # public, from the correction
    certificates: dict[str, Certificate] = field(default_factory=dict)
    institutions: dict = field(default_factory=dict)


def _team(task_, inspector_user, draw_):
    TaskAssignment.objects.get_or_create(task=task_, inspector=inspector_user.inspector,
                                         defaults={"draw": draw_, "is_leader": True})


@pytest.fixture
def world(plan, draw, task, other_task, institution, other_institution, inspector_user,
          samr_organizer, samr_reviewer, gd_authority) -> World:
    # -- results through the real services ------------------------------------------------
    first = result_record(task=task, category="problem_pending", follow_up="rectification",
                          findings="原始记录不完整", checked_on=CHECKED, user=inspector_user,
                          rectification_deadline=dt.date(2023, 12, 1),
                          rectification_requirements="补齐原始记录", submit=True)
    result_approve(result=first, user=samr_reviewer)
    _team(other_task, inspector_user, draw)
    clean = result_record(task=other_task, category="no_problem", follow_up="none",
                          findings="", checked_on=CHECKED, user=inspector_user, submit=True)
    result_approve(result=clean, user=samr_reviewer)
    publish(plan, samr_organizer)
    first.refresh_from_db()
    correction = result_correct(result=first, user=samr_organizer, submit=True,
                                reason="复核发现案件线索", category="problem_pending",
                                follow_up="case_opened", findings="原始记录不完整，立案调查")
    result_approve(result=correction, user=samr_reviewer)
    publish(plan, samr_organizer)
    correction.refresh_from_db()
    first.refresh_from_db()
    clean.refresh_from_db()
    assert (first.state, correction.state, clean.state) == ("superseded", "published",
                                                            "published")

    shenzhen = InstitutionFactory(name="深圳市第三检测有限公司", region=region("440304"))
    third = InspectionTask.objects.create(plan=plan, institution=shenzhen, draw=draw,
                                          stratum="07", deadline=dt.date(2023, 11, 20))
    _team(third, inspector_user, draw)
    approved = result_record(task=third, category="no_problem", follow_up="none", findings="",
                             checked_on=CHECKED, user=inspector_user, submit=True)
    result_approve(result=approved, user=samr_reviewer)
    approved.refresh_from_db()

    # -- a draft plan: nothing of it is public ----------------------------------------------
    draft_plan = SpotCheckPlan.objects.create(
        title="广东省2027年草案计划", year=2027, authority=gd_authority, region_id="440000",
        period_start=dt.date(2027, 3, 1), period_end=dt.date(2027, 11, 30))
    assert draft_plan.status == PlanStatus.DRAFT
    draft_draw = Draw.objects.create(
        plan=draft_plan, kind="institutions", status=DrawStatus.COMPLETED,
        algorithm_version="test-1", pool="[]", pool_digest="1" * 64, pool_size=1,
        commitment="d" * 64, server_seed="e" * 64, seed="f" * 64, completed_at=timezone.now())
    draft_task = InspectionTask.objects.create(plan=draft_plan, institution=institution,
                                               draw=draft_draw, stratum="07",
                                               deadline=dt.date(2027, 6, 1))
    draft_result = InspectionResult.objects.create(
        task=draft_task, state="published", category="no_problem", checked_on=CHECKED,
        recorded_by=inspector_user, published_at=timezone.now())

    # -- credit: a public penalty, a hidden event ------------------------------------------
    penalty = credit_event_record(institution=other_institution, kind="penalty",
                                  occurred_on=dt.date(2024, 3, 5),
                                  description="长沙市市场监督管理局行政处罚决定书 2024第7号")
    hidden = credit_event_record(institution=institution, kind="penalty",
                                 occurred_on=dt.date(2024, 4, 1), description="内部记录，不公开",
                                 is_public=False)
    superseded_event = CreditEvent.objects.get(source_result=first)
    case_event = CreditEvent.objects.get(source_result=correction)
    assert superseded_event.superseded_at is not None and case_event.is_public

    # -- the registry -----------------------------------------------------------------------
    centre = InstitutionFactory(name="国家食品质量检验检测中心（广东）", region=region("440100"),
                                is_national_centre=True, fields=[testing_field("07"),
                                                                 testing_field("17")])
    formula = InstitutionFactory(name="=HYPERLINK(\"http://x\",\"点我\")", region=region("440103"),
                                 status="suspended")
    certificates = {
        "provincial": CertificateFactory(institution=institution, number="224407129001",
                                         scope_summary="食品中农药残留 GB 2763"),
        "national": CertificateFactory(institution=centre, number="220007129002",
                                       issuing_authority="国家市场监督管理总局",
                                       permit_mode="notify_commit",
                                       fields=[testing_field("07"), testing_field("17")]),
        "expired": CertificateFactory(institution=other_institution, number="144307129003",
                                      issuing_authority="湖南省市场监督管理局",
                                      issued_on=dt.date(2014, 1, 1),
                                      valid_until=dt.date(2019, 12, 31)),
        "suspended": CertificateFactory(institution=formula, number="224407129004",
                                        status="suspended"),
    }
    return World(plan=plan, draft_plan=draft_plan, draw=draw, draft_draw=draft_draw,
                 corrected=correction, superseded=first, clean=clean, approved=approved,
                 draft_result=draft_result, penalty=penalty, hidden_event=hidden,
                 superseded_event=superseded_event, case_event=case_event,
                 certificates=certificates,
                 institutions={"guangzhou": institution, "changsha": other_institution,
                               "shenzhen": shenzhen, "centre": centre, "formula": formula})
