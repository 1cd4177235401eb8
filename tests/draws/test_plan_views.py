"""Plan and draw pages: the organizer's steps through the web, the public pages, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import Draw, DrawStatus, InspectionTask, ReplacementRequest

from ..cycle import commit_and_run

pytestmark = pytest.mark.django_db


def _sources_form(hours: float = 1) -> dict:
    when = timezone.localtime(timezone.now() + dt.timedelta(hours=hours))
    return {"name_0": "中国福利彩票3D第2026101期开奖号码",
            "known_at_0": when.strftime("%Y-%m-%dT%H:%M")}


def test_organizer_runs_the_whole_draw_from_the_web(client_as, provincial_plan, gd_organizer,
                                                    django_capture_on_commit_callbacks, clock):
    c = client_as(gd_organizer)
    type(provincial_plan).objects.filter(pk=provincial_plan.pk).update(status="draft")
    r = c.post(f"/inspections/plans/{provincial_plan.pk}/publish/")
    assert r.status_code == 302
    c.post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/", _sources_form())
    draw = Draw.objects.get(plan=provincial_plan)
    assert draw.external_sources[0]["name"] == "中国福利彩票3D第2026101期开奖号码"
    public = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/")
    assert draw.commitment in public.content.decode()
    assert "中国福利彩票3D第2026101期开奖号码" in public.content.decode()
    assert draw.server_seed not in public.content.decode()
    early = c.post(f"/inspections/draws/{draw.pk}/run/", {"value_0": "0 7 2"}, follow=True)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED
    assert draw.external_known_at.strftime("%Y") in early.content.decode()
    clock(2)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/inspections/draws/{draw.pk}/run/", {"value_0": "0 7 2"})
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPLETED and draw.external_values == ["0 7 2"]
    page = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    assert draw.seed in page and draw.server_seed in page
    first = InspectionTask.objects.filter(plan=provincial_plan).select_related("institution")[0]
    assert first.institution.name in page
    verify = client_as(None).get(f"/inspections/public/draws/{draw.pk}/verify/")
    assert 'badge ok">MATCH' in verify.content.decode()
    assert 'badge bad">MISMATCH' not in verify.content.decode()
    detail = c.get(f"/inspections/plans/{provincial_plan.pk}/")
    assert detail.status_code == 200 and 'name="evidence"' in detail.content.decode()


def test_a_commit_without_a_future_source_is_refused_with_the_field_named(
        client_as, provincial_plan, gd_organizer):
    from django.utils.translation import gettext

    c = client_as(gd_organizer)
    for form, named in (({}, gettext("Source %(n)d") % {"n": 1}),
                        (_sources_form(-1), "external_sources")):
        r = c.post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/", form, follow=True)
        assert named in r.content.decode()
    assert not Draw.objects.exists()


def test_empty_external_value_is_refused_with_the_field_named(client_as, provincial_plan,
                                                               gd_organizer, clock):
    c = client_as(gd_organizer)
    c.post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/", _sources_form())
    draw = Draw.objects.get(plan=provincial_plan)
    clock(2)
    r = c.post(f"/inspections/draws/{draw.pk}/run/", {"value_0": ""}, follow=True)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED
    assert draw.external_sources[0]["name"] in r.content.decode()  # the value's field


def test_staff_pages_are_scoped(client_as, provincial_plan, gd_organizer, outsider_regulator,
                                institution_user, inspector_user):
    url = f"/inspections/plans/{provincial_plan.pk}/"
    assert client_as(gd_organizer).get(url).status_code == 200
    assert client_as(outsider_regulator).get(url).status_code == 404
    assert provincial_plan.title not in client_as(outsider_regulator).get(
        "/inspections/plans/").content.decode()
    assert client_as(institution_user).get(url).status_code == 403
    assert client_as(inspector_user).get("/inspections/plans/").status_code == 403
    assert client_as(None).get(url).status_code == 302
    r = client_as(outsider_regulator).post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/",
                                           _sources_form())
    assert r.status_code == 404 and not Draw.objects.exists()


def test_a_regulator_who_is_not_the_organizer_cannot_commit(client_as, provincial_plan,
                                                           admin_user):
    from accounts.models import Role
    from inspections.models import Authority

    from ..factories import UserFactory

    city = Authority.objects.create(name="广州市市场监督管理局", level="city",
                                    region_id="440100")
    other = UserFactory(username="gz", role=Role.REGULATOR, authority=city, is_staff=True)
    for user in (other, admin_user):
        r = client_as(user).post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/",
                                 _sources_form(), follow=True)
        assert not Draw.objects.exists(), user
        assert r.status_code in (200, 403)


def test_draft_plans_are_not_public(client_as, provincial_plan):
    type(provincial_plan).objects.filter(pk=provincial_plan.pk).update(status="draft")
    assert client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").status_code \
        == 404
    assert provincial_plan.title not in client_as(None).get(
        "/inspections/public/plans/").content.decode()


def test_public_plan_page_query_count_does_not_grow_with_tasks(
        client_as, provincial_plan, gd_organizer, django_assert_max_num_queries):
    commit_and_run(provincial_plan, gd_organizer, "1")
    public, staff = client_as(None), client_as(gd_organizer)
    staff.get("/")  # settle the session and last_login outside the count
    with django_assert_max_num_queries(14):
        r = public.get(f"/inspections/public/plans/{provincial_plan.pk}/")
    assert r.status_code == 200
    with django_assert_max_num_queries(14):
        assert staff.get(f"/inspections/plans/{provincial_plan.pk}/").status_code == 200


def test_replacements_are_requested_and_approved_from_the_plan_page_by_two_people(
        client_as, provincial_plan, gd_organizer, gd_approver, outsider_regulator):
    from inspections.models import TaskAssignment

    draw = commit_and_run(provincial_plan, gd_organizer, "1")
    task = InspectionTask.objects.filter(plan=provincial_plan).first()
    member = TaskAssignment.objects.filter(task=task).first()
    c = client_as(gd_organizer)
    c.post(f"/inspections/tasks/{task.pk}/replacements/", {"reason": "", "evidence": ""})
    assert not ReplacementRequest.objects.exists()
    assert client_as(outsider_regulator).post(
        f"/inspections/tasks/{task.pk}/replacements/",
        {"reason": "closed", "evidence": "停业公告"}).status_code == 404
    c.post(f"/inspections/tasks/{task.pk}/replacements/",
           {"reason": "recusal_after_draw", "evidence": "停业公告"})  # not a reason for this
    assert not ReplacementRequest.objects.exists()
    c.post(f"/inspections/tasks/{task.pk}/replacements/",
           {"reason": "closed", "evidence": "停业公告 2026-05-01"})
    request = ReplacementRequest.objects.get()
    # the requester cannot approve his own request
    c.post(f"/inspections/replacements/{request.pk}/approve/", _sources_form())
    request.refresh_from_db()
    assert request.state == "pending" and Draw.objects.filter(plan=provincial_plan).count() == 1
    client_as(gd_approver).post(f"/inspections/replacements/{request.pk}/approve/",
                                _sources_form())
    request.refresh_from_db()
    assert request.state == "approved" and request.draw.parent_id == draw.pk
    assert request.draw.created_by_id == gd_approver.pk
    c.post(f"/inspections/tasks/{task.pk}/replacements/",
           {"assignment": member.pk, "reason": "recusal_after_draw", "evidence": "申报回避"})
    assert ReplacementRequest.objects.count() == 1  # a replacement of this task is under way


def test_the_2023_plan_cites_its_notice_by_name_on_the_public_page(client_as, ref):
    from inspections.models import SpotCheckPlan

    plan = SpotCheckPlan.objects.get(year=2023)
    SpotCheckPlan.objects.filter(pk=plan.pk).update(status="published")
    page = client_as(None).get(f"/inspections/public/plans/{plan.pk}/").content.decode()
    assert "国市监检测发〔2023〕90号" in page
    assert "seeds/" not in page and ".txt" not in page
    assert plan.certificate_level == "national"
