"""The 2023 national spot-check cycle run end to end through the real code paths (``make demo``).

Steps (seed 002 is the instance), each on its 2023 date: reference data → the registry
workbook (generated, then imported through the regulator's import command) → the inspector
registry → demo accounts → the plan published (2023-09-28) → the draw committed with its
declared external source (2023-10-08) and run after the lottery result was published
(2023-10-09), as Celery tasks → self-inspections and pledges → one replacement requested by one
regulator and approved by another, its supplementary draw run → results recorded by the team
leaders and submitted → reviewed by a second SAMR regulator (rectification orders issued; a
tenth left in his queue for the tour) → published by the organizer (credit events) → one
result corrected in the open → the statistics report generated as a Celery task. Each step is
idempotent, so the demo can be run again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Role
from inspections.models import (
    Authority,
    DrawStatus,
    FollowUpMeasure,
    InspectionResult,
    InspectionTask,
    Inspector,
    PlanStatus,
    ReplacementRequest,
    ResultCategory,
    ResultState,
    SelfInspectionCampaign,
    SpotCheckPlan,
    TaskStatus,
)
from institutions.models import Institution

from .inspectors import inspectors_generate
from .reference import reference_data_load

DEMO_PASSWORD = "demo-2023"
CST = ZoneInfo("Asia/Shanghai")
#: the declared source of the 2023 draw and its published value (a stand-in for the real
#: result: the demo does not claim to know it)
DRAW_SOURCE = "中国福利彩票“3D”2023年第271期开奖号码"
DRAW_SOURCE_AT = dt.datetime(2023, 10, 8, 21, 15, tzinfo=CST)
DRAW_VALUE = "5 8 2"
REPLACEMENT_SOURCE = "中国福利彩票“3D”2023年第276期开奖号码"
REPLACEMENT_SOURCE_AT = dt.datetime(2023, 10, 13, 21, 15, tzinfo=CST)
REPLACEMENT_VALUE = "0 3 9"


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment of the 2023 story, Beijing time."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CST)


@dataclass
class DemoAccount:
    role: str
    username: str
    note: str


def _user(username: str, *, role: str, password: str | None = DEMO_PASSWORD, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"role": role, **extra})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


def registry_load(*, count: int, out: Path, log) -> None:
    """Generate the registry workbook and import it through the import command."""
    if Institution.objects.count() >= count:
        log(f"registry: {Institution.objects.count()} institutions already imported")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    call_command("generate_registry", count=count, out=str(out))
    call_command("import_registry", str(out))


def _leader_account(task: InspectionTask, username: str | None = None):
    """The team leader's account (created with an unusable password unless named)."""
    leader = next(a.inspector for a in task.assignments.all() if a.is_leader and a.active)
    if leader.user_id is not None:
        return leader.user
    user = _user(username or f"insp-{leader.card_number}", role=Role.INSPECTOR,
                 authority=leader.authority, first_name=leader.name,
                 password=DEMO_PASSWORD if username else None)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    return user


def _draw(plan, samr_user, log):
    from inspections.tasks import draw_commit_task, draw_run_task

    draw = plan.draws.filter(kind="institutions").exclude(status=DrawStatus.FAILED).first()
    if draw is None:
        sources = [{"name": DRAW_SOURCE, "known_at": DRAW_SOURCE_AT.isoformat()}]
        draw_id = draw_commit_task.delay(plan.pk, samr_user.pk, sources,
                                         at("2023-10-08").isoformat()).get(timeout=600)
        draw = plan.draws.get(pk=draw_id)
        log(f"draw #{draw.pk} committed: pool {draw.pool_size}, commitment {draw.commitment}")
    if draw.status == DrawStatus.COMMITTED:
        outcome = draw_run_task.delay(draw.pk, [DRAW_VALUE], samr_user.pk,
                                      at("2023-10-09", "09:30").isoformat()).get(timeout=600)
        log(f"draw run: {outcome}")
        draw.refresh_from_db()
    if draw.status != DrawStatus.COMPLETED:
        raise RuntimeError(f"draw #{draw.pk} did not complete: {draw.result.get('problems')}")
    drawn = InspectionTask.objects.filter(draw=draw)
    national = drawn.filter(institution__certificates__number__regex=r"^[0-9]{2}00",
                            institution__certificates__status="valid").distinct().count()
    if national != drawn.count():  # seed 002 §二: national-level institutions only
        raise RuntimeError(f"draw #{draw.pk}: {drawn.count() - national} drawn institutions hold "
                           "no SAMR-issued certificate")
    log(f"draw #{draw.pk}: {drawn.count()} institutions drawn, all SAMR-certified")
    return draw


def _replacement(plan, task, requester, approver, log) -> None:
    """One drawn institution closed down before its check: requested, approved, redrawn."""
    from inspections.services.replacements import replacement_decide, replacement_request_create
    from inspections.tasks import draw_run_task

    request = ReplacementRequest.objects.filter(task=task).first()
    if request is None:
        request = replacement_request_create(
            task=task, kind="institution", reason="closed", user=requester,
            evidence="该机构2023年10月10日出具《停业告知函》，营业执照已申请注销。",
            now=at("2023-10-11"))
        request = replacement_decide(
            request=request, approve=True, user=approver, now=at("2023-10-12"),
            note="停业告知函核实无误。",
            sources=[{"name": REPLACEMENT_SOURCE, "known_at": REPLACEMENT_SOURCE_AT}])
    if request.draw is not None and request.draw.status == DrawStatus.COMMITTED:
        draw_run_task.delay(request.draw.pk, [REPLACEMENT_VALUE], approver.pk,
                            at("2023-10-14", "09:30").isoformat()).get(timeout=600)
    log(f"replacement: request #{request.pk} {request.state}, draw #{request.draw_id}")


def _results(plan, tasks, reviewer, rng, log) -> None:
    """Team leaders record and submit; the reviewer approves (orders are issued), except a
    tenth left waiting in his queue for the tour."""
    from inspections.services.results import result_record
    from inspections.services.review import result_approve

    for n, task in enumerate(tasks, start=1):
        if task.results.exists() or n % 10 == 9:
            continue  # a few checks are still under way
        roll = rng.random()
        checked = plan.period_start + dt.timedelta(days=rng.randint(5, 40))
        if roll < 0.70:
            category, follow = ResultCategory.NO_PROBLEM, FollowUpMeasure.NONE
        elif roll < 0.85:
            category, follow = ResultCategory.PROBLEM_CORRECTED, FollowUpMeasure.RECTIFICATION
        elif roll < 0.93:
            category, follow = ResultCategory.PROBLEM_PENDING, FollowUpMeasure.CASE_OPENED
        elif roll < 0.97:
            category, follow = ResultCategory.NO_ACTIVITY, FollowUpMeasure.NONE
        else:
            category, follow = ResultCategory.CLOSED, FollowUpMeasure.NONE
        extra = {}
        if follow == FollowUpMeasure.RECTIFICATION:
            extra = {"rectification_deadline": checked + dt.timedelta(days=30),
                     "rectification_requirements": "补充原始记录，修订作业指导书并开展内部审核。"}
        findings = "" if category == ResultCategory.NO_PROBLEM else "部分检验检测原始记录信息不完整。"
        recorded = dt.datetime.combine(checked, dt.time(17, 0), tzinfo=CST)
        result = result_record(task=task, category=category, follow_up=follow,
                               findings=findings, checked_on=checked, user=_leader_account(task),
                               submit=True, now=recorded, **extra)
        if n % 10 != 8:
            result_approve(result=result, user=reviewer, now=recorded + dt.timedelta(days=2))
    log(f"results: {InspectionResult.objects.filter(task__plan=plan).count()} recorded")


def _correction(plan, samr_user, reviewer, log) -> None:
    """A published "no problem" turns out, on a later document check, to have missed expired
    calibration certificates: corrected by the team, reviewed, published as 更正."""
    from inspections.services.results import result_correct
    from inspections.services.review import result_approve, results_publish

    if InspectionResult.objects.filter(task__plan=plan, corrects__isnull=False).exists():
        return
    original = (InspectionResult.objects.filter(task__plan=plan, state=ResultState.PUBLISHED,
                                                category=ResultCategory.NO_PROBLEM)
                .order_by("task_id").last())
    if original is None:
        return
    correction = result_correct(
        result=original, user=_leader_account(original.task), submit=True,
        now=at("2023-11-22"),
        reason="复核现场记录发现部分仪器检定证书已过期，原结论有误。",
        category=ResultCategory.PROBLEM_CORRECTED, follow_up=FollowUpMeasure.RECTIFICATION,
        findings="3台仪器设备检定证书已过期仍在使用。",
        rectification_deadline=dt.date(2023, 12, 22),
        rectification_requirements="停用过期设备，完成检定后恢复使用，并追溯相关报告。")
    result_approve(result=correction, user=reviewer, now=at("2023-11-23"))
    results_publish(plan=plan, user=samr_user, result_ids=[correction.pk],
                    now=at("2023-11-24", "09:00"))
    log(f"correction: task #{original.task_id} corrected (revision {correction.revision})")


def cycle_run(*, institutions: int = 60000, inspectors: int = 20000, log=print) -> list[DemoAccount]:
    """Run the whole 2023 cycle; return the demo accounts (password :data:`DEMO_PASSWORD`)."""
    from inspections.services.campaigns import pledge_sign, self_inspection_save
    from inspections.services.plans import plan_publish
    from inspections.services.review import results_publish, results_publish_preview
    from reports.models import ReportKind
    from reports.services import report_request

    counts = reference_data_load()
    log(f"reference data: {counts}")
    registry_load(count=institutions, out=Path(settings.BASE_DIR) / "var" / "demo" /
                  f"registry-{institutions}.xlsx", log=log)
    made = inspectors_generate(count=inspectors)
    log(f"inspectors: {made} created, {Inspector.objects.count()} in the registry")

    samr = Authority.objects.get(name="市场监管总局")
    guangdong = Authority.objects.get(name="广东省市场监督管理局")
    admin = _user("admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    samr_user = _user("samr", role=Role.REGULATOR, authority=samr, is_staff=True,
                      first_name="国家局监管员")
    reviewer = _user("samr-review", role=Role.REGULATOR, authority=samr, is_staff=True,
                     first_name="国家局审核员")
    gd_user = _user("guangdong", role=Role.REGULATOR, authority=guangdong, is_staff=True,
                    first_name="广东省局监管员")

    plan = SpotCheckPlan.objects.get(year=2023, authority=samr)
    if plan.status == PlanStatus.DRAFT:
        plan = plan_publish(plan=plan, user=samr_user, now=at("2023-09-28"))
        log("plan published")
    _draw(plan, samr_user, log)

    tasks = list(InspectionTask.objects.filter(plan=plan).exclude(status=TaskStatus.REPLACED)
                 .select_related("institution", "draw")
                 .prefetch_related("assignments__inspector__user")
                 .order_by("stratum", "id"))
    campaign = SelfInspectionCampaign.objects.get(plan=plan)
    rng = random.Random(2023)
    answers_ok = [{"answer": "yes", "remark": ""} for _ in campaign.focus_items]

    # The first drawn institution and the first task's leader get interactive demo accounts;
    # they are left with work to do in the browser.
    demo_task = tasks[0]
    inst_user = _user("institution", role=Role.INSTITUTION, institution=demo_task.institution,
                      first_name="机构填报员")
    insp_user = _leader_account(demo_task, "inspector")
    for n, task in enumerate(tasks[1:], start=1):
        inst = task.institution
        user = _user(f"inst-{inst.uscc}", role=Role.INSTITUTION, institution=inst, password=None)
        if n % 10 < 8 and not inst.self_inspections.filter(campaign=campaign).exists():
            self_inspection_save(campaign=campaign, institution=inst, answers=answers_ok,
                                 user=user, submit=n % 10 < 7)
        if n % 10 < 7 and not inst.pledges.filter(campaign=campaign).exists():
            pledge_sign(campaign=campaign, institution=inst, signatory_name="法定代表人",
                        signatory_title="法定代表人", user=user)
    _replacement(plan, tasks[-1], samr_user, reviewer, log)
    tasks = list(InspectionTask.objects.filter(plan=plan).exclude(status=TaskStatus.REPLACED)
                 .exclude(pk=demo_task.pk).prefetch_related("assignments__inspector__user")
                 .order_by("stratum", "id"))
    _results(plan, tasks, reviewer, rng, log)
    preview = [r.pk for r in results_publish_preview(plan=plan, user=samr_user)]
    if preview:
        published = results_publish(plan=plan, user=samr_user, result_ids=preview,
                                    now=at("2023-11-20"))
        log(f"results: {published} published")
    _correction(plan, samr_user, reviewer, log)
    if not plan.reports.exists():
        report = report_request(plan=plan, user=samr_user, kind=ReportKind.INSPECTION_STATISTICS)
        log(f"statistics report #{report.pk} requested")
    return [
        DemoAccount("platform administrator", admin.username, "/admin/"),
        DemoAccount("regulator (SAMR, organizes the 2023 plan)", samr_user.username,
                    f"/inspections/plans/{plan.pk}/"),
        DemoAccount("regulator (SAMR, reviews results)", reviewer.username,
                    "/inspections/review/"),
        DemoAccount("regulator (Guangdong)", gd_user.username, "/inspections/tracking/"),
        DemoAccount("inspector (leads a task)", insp_user.username, "/inspections/tasks/mine/"),
        DemoAccount(f"institution user ({demo_task.institution.name})", inst_user.username,
                    "/inspections/portal/"),
        DemoAccount("the public (no login)", "-",
                    f"/inspections/public/plans/{plan.pk}/"),
    ]
