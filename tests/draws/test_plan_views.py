"""Plan and draw pages: the organizer's steps through the web, the public pages, scoping."""

from __future__ import annotations

import pytest

from inspections.models import Draw, DrawStatus, InspectionTask

pytestmark = pytest.mark.django_db


def test_organizer_runs_the_whole_draw_from_the_web(client_as, provincial_plan, gd_organizer,
                                                    django_capture_on_commit_callbacks):
    c = client_as(gd_organizer)
    type(provincial_plan).objects.filter(pk=provincial_plan.pk).update(status="draft")
    r = c.post(f"/inspections/plans/{provincial_plan.pk}/publish/")
    assert r.status_code == 302
    c.post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/")
    draw = Draw.objects.get(plan=provincial_plan)
    public = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/")
    assert draw.commitment in public.content.decode()
    assert draw.server_seed not in public.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/inspections/draws/{draw.pk}/run/", {"external_value": "07 21 33"})
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPLETED
    page = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    assert draw.seed in page and draw.server_seed in page
    first = InspectionTask.objects.filter(plan=provincial_plan).select_related("institution")[0]
    assert first.institution.name in page
    verify = client_as(None).get(f"/inspections/public/draws/{draw.pk}/verify/")
    assert 'badge ok">MATCH' in verify.content.decode()
    assert 'badge bad">MISMATCH' not in verify.content.decode()
    detail = c.get(f"/inspections/plans/{provincial_plan.pk}/")
    assert detail.status_code == 200 and "replace" in detail.content.decode().lower()


def test_empty_external_value_is_refused_with_the_field_named(client_as, provincial_plan,
                                                               gd_organizer):
    c = client_as(gd_organizer)
    c.post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/")
    draw = Draw.objects.get(plan=provincial_plan)
    r = c.post(f"/inspections/draws/{draw.pk}/run/", {"external_value": ""}, follow=True)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED
    assert "External value" in r.content.decode() or "外部" in r.content.decode()


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
    r = client_as(outsider_regulator).post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/")
    assert r.status_code == 404 and not Draw.objects.exists()


def test_a_regulator_who_is_not_the_organizer_cannot_commit(client_as, provincial_plan, admin_user):
    from accounts.models import Role
    from inspections.models import Authority

    from ..factories import UserFactory

    city = Authority.objects.create(name="广州市市场监督管理局", level="city",
                                    region_id="440100")
    other = UserFactory(username="gz", role=Role.REGULATOR, authority=city, is_staff=True)
    r = client_as(other).post(f"/inspections/plans/{provincial_plan.pk}/draw/commit/")
    assert r.status_code == 403 and not Draw.objects.exists()


def test_draft_plans_are_not_public(client_as, provincial_plan):
    type(provincial_plan).objects.filter(pk=provincial_plan.pk).update(status="draft")
    assert client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").status_code \
        == 404
    assert provincial_plan.title not in client_as(None).get(
        "/inspections/public/plans/").content.decode()


def test_public_plan_page_query_count_does_not_grow_with_tasks(
        client_as, provincial_plan, gd_organizer, django_assert_max_num_queries):
    from inspections.services.draws import draw_commit, draw_execute

    draw = draw_commit(plan=provincial_plan, user=gd_organizer)
    draw_execute(draw_id=draw.pk, external_value="1", user_id=None)
    public, staff = client_as(None), client_as(gd_organizer)
    staff.get("/")  # settle the session and last_login outside the count
    with django_assert_max_num_queries(8):
        r = public.get(f"/inspections/public/plans/{provincial_plan.pk}/")
    assert r.status_code == 200
    with django_assert_max_num_queries(10):
        assert staff.get(f"/inspections/plans/{provincial_plan.pk}/").status_code == 200


def test_organizer_publishes_recorded_results_from_the_plan_page(
        client_as, provincial_plan, gd_organizer, admin_user):
    import datetime as dt

    from inspections.models import InspectionResult, ResultCategory
    from inspections.services.draws import draw_commit, draw_execute
    from inspections.services.results import result_record

    draw = draw_commit(plan=provincial_plan, user=gd_organizer)
    draw_execute(draw_id=draw.pk, external_value="1", user_id=None)
    task = InspectionTask.objects.filter(plan=provincial_plan).first()
    result_record(task=task, category=ResultCategory.NO_PROBLEM, follow_up="none", findings="",
                  checked_on=dt.date(2026, 4, 1), user=admin_user)
    page = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    assert str(ResultCategory.NO_PROBLEM.label) not in page
    r = client_as(gd_organizer).post(f"/inspections/plans/{provincial_plan.pk}/results/publish/")
    assert r.status_code == 302
    assert InspectionResult.objects.get(task=task).published
    page = client_as(None).get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    assert str(ResultCategory.NO_PROBLEM.label) in page


def test_replacements_are_committed_from_the_plan_page_with_a_reason(
        client_as, provincial_plan, gd_organizer, outsider_regulator):
    from inspections.models import TaskAssignment
    from inspections.services.draws import draw_commit, draw_execute

    draw = draw_commit(plan=provincial_plan, user=gd_organizer)
    draw_execute(draw_id=draw.pk, external_value="1", user_id=None)
    task = InspectionTask.objects.filter(plan=provincial_plan).first()
    member = TaskAssignment.objects.filter(task=task).first()
    c = client_as(gd_organizer)
    c.post(f"/inspections/tasks/{task.pk}/replace-institution/", {"reason": ""})
    assert Draw.objects.filter(plan=provincial_plan).count() == 1
    assert client_as(outsider_regulator).post(
        f"/inspections/tasks/{task.pk}/replace-institution/", {"reason": "x"}).status_code == 404
    c.post(f"/inspections/tasks/{task.pk}/replace-institution/", {"reason": "机构已注销"})
    c.post(f"/inspections/assignments/{member.pk}/replace/", {"reason": "申报回避"})
    kinds = set(Draw.objects.filter(plan=provincial_plan, parent=draw)
                .values_list("kind", "reason"))
    assert kinds == {("supp_institution", "机构已注销"), ("supp_inspector", "申报回避")}


def test_the_2023_plan_cites_its_notice_by_name_on_the_public_page(client_as, ref):
    from inspections.models import SpotCheckPlan

    plan = SpotCheckPlan.objects.get(year=2023)
    SpotCheckPlan.objects.filter(pk=plan.pk).update(status="published")
    page = client_as(None).get(f"/inspections/public/plans/{plan.pk}/").content.decode()
    assert "国市监检测发〔2023〕90号" in page
    assert "seeds/" not in page and ".txt" not in page
