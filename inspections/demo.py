"""The 2023 national spot-check cycle run end to end through the real code paths (``make demo``).

Steps (seed 002 is the instance): reference data → the registry workbook (generated, then
imported through the regulator's import command) → the inspector registry → demo accounts →
the plan published → the draw committed and run as Celery tasks → self-inspections and pledges →
results recorded (rectification orders, credit events) → results published → the statistics
report generated as a Celery task. Each step is idempotent, so the demo can be run again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Role
from institutions.models import Institution

from .models import (
    Authority,
    DrawStatus,
    FollowUpMeasure,
    InspectionTask,
    Inspector,
    PlanStatus,
    ResultCategory,
    SelfInspectionCampaign,
    SpotCheckPlan,
    TaskStatus,
)
from .reference import reference_data_load
from .registry_generator import inspectors_generate

DEMO_PASSWORD = "demo-2023"
WITNESS_VALUE = "2023-10-09 公证员现场摇号 07 15 23 31 42"


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


def cycle_run(*, institutions: int = 60000, inspectors: int = 20000, log=print) -> list[DemoAccount]:
    """Run the whole 2023 cycle; return the demo accounts (password :data:`DEMO_PASSWORD`)."""
    from reports.models import ReportKind
    from reports.services import report_request

    from .services.campaigns import pledge_sign, self_inspection_save
    from .services.draws import plan_publish
    from .services.results import result_record, results_publish
    from .tasks import draw_commit_task, draw_run_task

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
    gd_user = _user("guangdong", role=Role.REGULATOR, authority=guangdong, is_staff=True,
                    first_name="广东省局监管员")

    plan = SpotCheckPlan.objects.get(year=2023, authority=samr)
    if plan.status == PlanStatus.DRAFT:
        plan = plan_publish(plan=plan, user=samr_user)
        log("plan published")
    draw = plan.draws.filter(kind="institutions").exclude(status=DrawStatus.FAILED).first()
    if draw is None:
        draw_id = draw_commit_task.delay(plan.pk, samr_user.pk).get(timeout=600)
        draw = plan.draws.get(pk=draw_id)
        log(f"draw #{draw.pk} committed: pool {draw.pool_size}, commitment {draw.commitment}")
    if draw.status == DrawStatus.COMMITTED:
        outcome = draw_run_task.delay(draw.pk, WITNESS_VALUE, samr_user.pk).get(timeout=600)
        log(f"draw run: {outcome}")
        draw.refresh_from_db()
    if draw.status != DrawStatus.COMPLETED:
        raise RuntimeError(f"draw #{draw.pk} did not complete: {draw.result.get('problems')}")

    tasks = list(InspectionTask.objects.filter(plan=plan).exclude(status=TaskStatus.REPLACED)
                 .select_related("institution").prefetch_related("assignments__inspector")
                 .order_by("stratum", "id"))
    campaign = SelfInspectionCampaign.objects.get(plan=plan)
    rng = random.Random(2023)
    answers_ok = [{"answer": "yes", "remark": ""} for _ in campaign.focus_items]

    # The first drawn institution and the first task's leader get interactive demo accounts;
    # they are left with work to do in the browser.
    demo_task = tasks[0]
    inst_user = _user("institution", role=Role.INSTITUTION, institution=demo_task.institution,
                      first_name="机构填报员")
    leader = next(a.inspector for a in demo_task.assignments.all() if a.is_leader)
    insp_user = _user("inspector", role=Role.INSPECTOR, authority=leader.authority,
                      first_name=leader.name)
    if leader.user_id is None:
        Inspector.objects.filter(pk=leader.pk).update(user=insp_user)

    for n, task in enumerate(tasks[1:], start=1):
        inst = task.institution
        user = _user(f"inst-{inst.uscc}", role=Role.INSTITUTION, institution=inst, password=None)
        if n % 10 < 8 and not inst.self_inspections.filter(campaign=campaign).exists():
            self_inspection_save(campaign=campaign, institution=inst, answers=answers_ok,
                                 user=user, submit=n % 10 < 7)
        if n % 10 < 7 and not inst.pledges.filter(campaign=campaign).exists():
            pledge_sign(campaign=campaign, institution=inst, signatory_name="法定代表人",
                        signatory_title="法定代表人", user=user)
        if hasattr(task, "result") or n % 10 == 9:
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
        result_record(task=task, category=category, follow_up=follow, findings=findings,
                      checked_on=checked, user=admin, **extra)
    published = results_publish(plan=plan, user=samr_user)
    log(f"results: {published} published")
    if not plan.reports.exists():
        report = report_request(plan=plan, user=samr_user, kind=ReportKind.INSPECTION_STATISTICS)
        log(f"statistics report #{report.pk} requested")
    return [
        DemoAccount("platform administrator", admin.username, "/admin/"),
        DemoAccount("regulator (SAMR, organizes the 2023 plan)", samr_user.username,
                    f"/inspections/plans/{plan.pk}/"),
        DemoAccount("regulator (Guangdong)", gd_user.username, "/inspections/tracking/"),
        DemoAccount("inspector (leads a task)", insp_user.username, "/inspections/tasks/mine/"),
        DemoAccount(f"institution user ({demo_task.institution.name})", inst_user.username,
                    "/inspections/portal/"),
        DemoAccount("the public (no login)", "-",
                    f"/inspections/public/plans/{plan.pk}/"),
    ]
