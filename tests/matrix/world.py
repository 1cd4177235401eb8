"""Two provinces' worth of records, built through the real services, for the role × route matrix.

Each of Guangdong (440000) and Hunan (430000) gets: its bureau's organizer and approver, a
provincial plan drawn (tasks with teams whose leaders have accounts), a result published with a
rectification order, a result waiting for review, a replacement request pending and one approved
with its supplementary draw committed, a draft plan and a published plan not yet drawn, a
self-inspection campaign, an institution user, a certificate, a report number, a signatory, a
recusal, a risk classification, a registry import, a statistics report and the organizer's
second-factor device. ``World.side(code)``
holds the objects of one province; ``World.users`` the accounts by role name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Notification, Role
from credit.models import RiskClassification
from inspections.models import (
    Authority,
    InspectionResult,
    InspectionTask,
    Inspector,
    PlanQuota,
    Recusal,
    SelfInspectionCampaign,
    SpotCheckPlan,
)
from inspections.notifications import rectification_ordered_notify
from inspections.services.rectification import rectification_respond
from inspections.services.replacements import replacement_decide, replacement_request_create
from inspections.services.review import result_approve
from institutions.models import AuthorizedSignatory, RegistryImport, TestingField
from qualifications.models import TestReportNumber
from reports.models import Report

from ..cycle import commit_and_run, record, record_approve_publish, sources
from ..draws.conftest import make_inspectors, make_institutions
from ..factories import CertificateFactory, UserFactory

PROVINCES = {"44": ("广东省市场监督管理局", "440103", "gd"),
             "43": ("湖南省市场监督管理局", "430102", "hn")}


@dataclass
class Side:
    """The records of one province."""

    code: str
    objects: dict[str, list] = field(default_factory=dict)

    def add(self, name: str, *objs) -> None:
        self.objects.setdefault(name, []).extend(objs)


@dataclass
class World:
    sides: dict[str, Side]
    users: dict[str, object]

    def side(self, code: str) -> Side:
        return self.sides[code]


def _plan(authority, title: str, region: str, *, status: str = "published") -> SpotCheckPlan:
    plan = SpotCheckPlan.objects.create(
        title=title, year=2026, authority=authority, region_id=region, status=status,
        period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 11, 30),
        inspectors_per_task=2, workload_cap=4, exclude_checked_months=0)
    fields = {f.code: f for f in TestingField.objects.all()}
    PlanQuota.objects.create(plan=plan, field=fields["07"], count=6, sort_order=0)
    return plan


def _leader_user(task, username: str):
    leader = task.assignments.get(is_leader=True, active=True).inspector
    user = UserFactory(username=username, role=Role.INSPECTOR, authority=leader.authority,
                       first_name=leader.name)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    return user


def side_build(prefix: str) -> tuple[Side, dict]:
    """One province's records; returns ``(side, users)``."""
    name, county, tag = PROVINCES[prefix]
    authority = Authority.objects.get(name=name)
    users = {
        f"{tag}_organizer": UserFactory(username=f"{tag}_organizer", role=Role.REGULATOR,
                                        authority=authority, is_staff=True),
        f"{tag}_approver": UserFactory(username=f"{tag}_approver", role=Role.REGULATOR,
                                       authority=authority, is_staff=True),
    }
    organizer, approver = users[f"{tag}_organizer"], users[f"{tag}_approver"]
    side = Side(prefix)
    make_institutions(field_code="07", n=12, region=county)
    make_inspectors(authority=authority, n=10, field_codes=("07",))
    plan = _plan(authority, f"{name}2026年抽查", prefix + "0000")
    draw = commit_and_run(plan, organizer, "1 2 3")
    tasks = list(InspectionTask.objects.filter(plan=plan).order_by("pk")
                 .select_related("institution"))
    inspector = _leader_user(tasks[0], f"{tag}_inspector")
    users[f"{tag}_inspector"] = inspector
    published = record_approve_publish(
        tasks[0], inspector, approver, organizer, category="problem_pending",
        follow_up="rectification", findings="记录缺失",
        rectification_deadline=timezone.localdate() + dt.timedelta(days=30),
        rectification_requirements="补齐记录")
    pending = record(tasks[1], _leader_user(tasks[1], f"{tag}_inspector2"))
    approved_result = record(tasks[4], _leader_user(tasks[4], f"{tag}_inspector3"))
    result_approve(result=approved_result, user=approver)
    request = replacement_request_create(task=tasks[2], kind="institution", reason="closed",
                                         evidence="停业公告第1号", user=organizer)
    approved = replacement_request_create(task=tasks[3], kind="institution",
                                          reason="deregistered", evidence="注销公告第2号",
                                          user=organizer)
    approved = replacement_decide(request=approved, approve=True, user=approver,
                                  sources=sources())
    institution = tasks[0].institution
    users[f"{tag}_institution"] = UserFactory(username=f"{tag}_institution",
                                              role=Role.INSTITUTION, institution=institution)
    certificate = CertificateFactory(institution=institution)
    order = published.rectification_orders.get()
    rectification_respond(order=order, response="已补齐记录", user=users[f"{tag}_institution"])
    rectification_ordered_notify(order)  # the institution user joined after the order
    campaign = SelfInspectionCampaign.objects.create(
        plan=plan, title=f"{name}自查", due=dt.date(2026, 6, 30),
        focus_items=["资质认定证书是否有效"], pledge_text="承诺")
    side.add("plan", plan, _plan(authority, f"{name}草稿计划", prefix + "0000", status="draft"),
             _plan(authority, f"{name}待抽取计划", prefix + "0000"))
    side.add("draw", approved.draw, draw)
    side.add("task", *tasks[:2])
    side.add("task_free", tasks[5])
    side.add("result", InspectionResult.objects.get(pk=pending.pk), published, approved_result)
    side.add("order", order)
    side.add("request", request, approved)
    side.add("campaign", campaign)
    side.add("institution", institution)
    side.add("certificate", certificate)
    side.add("report_number", TestReportNumber.objects.create(
        number=f"{tag.upper()}-2026-0001", institution=institution, certificate=certificate,
        issued_on=dt.date(2026, 2, 1)))
    side.add("signatory", AuthorizedSignatory.objects.create(institution=institution,
                                                             name="授权签字人"))
    side.add("inspector", Inspector.objects.get(user=inspector))
    side.add("recusal", Recusal.objects.create(inspector=Inspector.objects.get(user=inspector),
                                               institution=tasks[4].institution, reason="亲属"))
    side.add("risk", RiskClassification.objects.create(institution=institution, risk_class="C",
                                                       assessed_on=dt.date(2026, 1, 1)))
    side.add("authority", authority)
    side.add("registry_import", RegistryImport.objects.create(
        file_name=f"{tag}.xlsx", uploaded_by=organizer, status="succeeded",
        started_at=timezone.now()))
    side.add("notification", *Notification.objects.filter(recipient__username__startswith=tag))
    side.add("user", organizer, inspector, users[f"{tag}_institution"])
    side.add("totp_device", TOTPDevice.objects.create(user=organizer, name="手机",
                                                      confirmed=True))
    report = Report.objects.create(kind="inspection_statistics", plan=plan, authority=authority,
                                   requested_by=organizer, status="done",
                                   finished_at=timezone.now())
    report.xlsx.save(f"{tag}.xlsx", ContentFile(f"{name} statistics".encode()))
    side.add("report", report)
    return side, users


def world_build() -> World:
    """Both provinces, plus a platform admin."""
    from inspections.models import Draw

    sides, users = {}, {}
    for prefix in PROVINCES:
        side, side_users = side_build(prefix)
        sides[prefix] = side
        users.update(side_users)
        side.add("draw_any", *Draw.objects.filter(plan__region_id=prefix + "0000"))
    users["admin"] = UserFactory(username="platform_admin", role=Role.ADMIN, is_staff=True,
                                 is_superuser=True)
    return World(sides=sides, users=users)
