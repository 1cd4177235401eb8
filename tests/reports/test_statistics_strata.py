"""Rows follow the draw's strata: an institution drawn in the catch-all stratum counts there."""

import datetime as dt

import pytest

from inspections.models import InspectionTask, PlanQuota
from reports.statistics import inspection_statistics
from tests.factories import InstitutionFactory, field

from .conftest import draw_make, plan_make


@pytest.mark.django_db
def test_catch_all_stratum_counts_its_institutions_whatever_their_primary_field(ref):
    plan = plan_make(title="含其他领域的计划")
    PlanQuota.objects.create(plan=plan, field=field("07"), count=1, sort_order=1)
    PlanQuota.objects.create(plan=plan, field=field("99"), count=2, sort_order=2)
    draw = draw_make(plan)
    for stratum, primary in (("07", "07"), ("99", "13"), ("99", "14")):
        InspectionTask.objects.create(
            plan=plan, institution=InstitutionFactory(primary_field=field(primary)), draw=draw,
            stratum=stratum, field=field(primary), deadline=dt.date(2023, 11, 15))
    table = inspection_statistics(plan=plan)
    rows = {r.field_code: (r.planned, r.drawn) for r in table.rows}
    assert rows == {"07": (1, 1), "99": (2, 2)}
    assert (table.total.planned, table.total.drawn) == (3, 3)
