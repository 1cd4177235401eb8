"""``inspection_statistics``: the numbers of the table, per role scope, in constant queries."""

from __future__ import annotations

import pytest

from inspections.models import PlanQuota, SpotCheckPlan
from reports.statistics import COLUMNS, inspection_statistics
from tests.factories import field

from .conftest import draw_make, plan_make, task_make

# planned, drawn, checked, problems found, rectified, cases opened, non-cooperation, closed
EXPECTED_ALL = {
    "食品检验": [3, 4, 4, 3, 2, 1, 0, 0],
    "机动车检验": [2, 2, 1, 1, 0, 1, 1, 0],
    "生态环境监测": [1, 1, 1, 0, 0, 0, 0, 1],
    "机械设备": [1, 1, 1, 0, 0, 0, 0, 1],
}
EXPECTED_GD = {  # a province's view of a national plan: planned = tasks drawn in the province
    "食品检验": [3, 3, 3, 2, 2, 1, 0, 0],
    "机动车检验": [2, 2, 1, 1, 0, 1, 1, 0],
    "生态环境监测": [1, 1, 1, 0, 0, 0, 0, 1],
}
EXPECTED_HN = {
    "食品检验": [1, 1, 1, 1, 0, 0, 0, 0],
    "机动车检验": [0] * 8,
    "生态环境监测": [0] * 8,
    "机械设备": [1, 1, 1, 0, 0, 0, 0, 1],
}


def _numbers(table) -> dict[str, list[int]]:
    return {row.field_name: row.values() for row in table.rows}


def _column_sums(expected: dict[str, list[int]]) -> list[int]:
    return [sum(col) for col in zip(*expected.values(), strict=True)]


@pytest.mark.django_db
def test_it_counts_every_task_for_an_admin(stats_plan, admin_user):
    table = inspection_statistics(plan=stats_plan, user=admin_user)
    assert _numbers(table) == EXPECTED_ALL
    assert [r.field_code for r in table.rows] == ["07", "03", "02", "20"]  # quota order first
    assert table.total.values() == _column_sums(EXPECTED_ALL) == [7, 8, 7, 4, 2, 2, 1, 2]
    assert table.total.field_name
    assert len(table.headings()) == len(COLUMNS) == 8


@pytest.mark.django_db
def test_a_system_run_counts_like_an_admin(stats_plan, admin_user):
    assert _numbers(inspection_statistics(plan=stats_plan)) == EXPECTED_ALL


@pytest.mark.django_db
def test_it_counts_only_the_regulators_region(stats_plan, regulator, outsider_regulator):
    gd = inspection_statistics(plan=stats_plan, user=regulator)
    assert _numbers(gd) == EXPECTED_GD
    assert gd.total.values() == _column_sums(EXPECTED_GD)
    assert "广东省市场监督管理局" in gd.scope
    hn = inspection_statistics(plan=stats_plan, user=outsider_regulator)
    assert _numbers(hn) == EXPECTED_HN
    assert "湖南" in hn.scope


@pytest.mark.django_db
def test_a_regional_plan_reports_its_quotas_to_its_region(ref, regulator):
    plan = plan_make(title="广东省2023年度测试抽查", region_code="440000")
    PlanQuota.objects.create(plan=plan, field=field("07"), count=5)
    task_make(plan, draw_make(plan), field_code="07")
    assert _numbers(inspection_statistics(plan=plan, user=regulator))["食品检验"][:2] == [5, 1]


@pytest.mark.django_db
def test_other_roles_get_an_empty_table(stats_plan, institution_user, inspector_user):
    for user in (institution_user, inspector_user):
        table = inspection_statistics(plan=stats_plan, user=user)
        assert table.total.drawn == 0


@pytest.mark.django_db
def test_the_2023_national_plan_without_tasks_lists_its_quotas(ref, admin_user):
    plan = SpotCheckPlan.objects.get(year=2023, region__isnull=True, tasks__isnull=True)
    table = inspection_statistics(plan=plan, user=admin_user)
    assert len(table.rows) == 11
    assert table.total.planned == 100 and table.total.drawn == 0


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_plan(
        stats_plan, regulator, admin_user, django_assert_num_queries):
    from accounts.models import User

    def fresh():  # no cached authority: the scope's own queries are counted too
        return User.objects.get(pk=regulator.pk)

    user = fresh()
    with django_assert_num_queries(4):
        inspection_statistics(plan=stats_plan, user=user)
    draw = stats_plan.draws.get()
    for i in range(30):
        task_make(stats_plan, draw, field_code=("07", "03", "11")[i % 3],
                  category="no_problem" if i % 2 else None, recorded_by=admin_user)
    user = fresh()
    with django_assert_num_queries(4):
        table = inspection_statistics(plan=stats_plan, user=user)
    assert table.total.drawn == 6 + 30


@pytest.mark.django_db
def test_it_counts_the_result_in_force_once(stats_plan, admin_user):
    """A result under review is not counted; a correction, once approved, replaces the result
    it corrects (counted once, with its own category)."""
    from inspections.models import InspectionResult, InspectionTask

    food = InspectionTask.objects.filter(plan=stats_plan, stratum="07",
                                         results__category="no_problem").first()
    published = food.results.get()
    InspectionResult.objects.create(
        task=food, revision=2, corrects=published, correction_reason="复核更正",
        category="problem_pending", follow_up="case_opened", findings="问题",
        checked_on=published.checked_on, recorded_by=admin_user, state="submitted")
    assert _numbers(inspection_statistics(plan=stats_plan))["食品检验"] == [3, 4, 4, 3, 2, 1, 0, 0]
    InspectionResult.objects.filter(task=food, revision=2).update(state="approved")
    assert _numbers(inspection_statistics(plan=stats_plan))["食品检验"] == [3, 4, 4, 4, 2, 2, 0, 0]
    unchecked = InspectionTask.objects.filter(plan=stats_plan, stratum="03",
                                              results__isnull=True).first()
    InspectionResult.objects.create(task=unchecked, category="no_problem", follow_up="none",
                                    checked_on=published.checked_on, recorded_by=admin_user,
                                    state="recorded")
    assert _numbers(inspection_statistics(plan=stats_plan))["机动车检验"][2] == 1
