"""Registries and plans for draw tests, created in bulk (fast, deterministic)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from accounts.models import Role
from inspections.models import Authority, Inspector, PlanQuota, SpotCheckPlan
from institutions.codes import uscc_make
from institutions.models import Institution, TestingField

from ..factories import UserFactory

_serial = itertools.count(30_000_000)
_card = itertools.count(1)


def make_institutions(*, field_code: str, n: int, centres: int = 0, region: str = "440103",
                      credit_class: str = "", extra_fields: tuple[str, ...] = (),
                      status: str = "active") -> list[Institution]:
    fields = {f.code: f for f in TestingField.objects.all()}
    objs = [Institution(uscc=uscc_make(region_code=region, serial=next(_serial)),
                        name=f"测试机构{field_code}-{i}", region_id=region,
                        primary_field=fields[field_code], is_national_centre=i < centres,
                        credit_class=credit_class, status=status) for i in range(n)]
    objs = Institution.objects.bulk_create(objs)
    through = Institution.fields.through
    through.objects.bulk_create([through(institution_id=o.pk, testingfield_id=fields[c].pk)
                                 for o in objs for c in (field_code, *extra_fields)])
    return objs


def make_inspectors(*, authority: Authority, n: int, field_codes: tuple[str, ...] = ()
                    ) -> list[Inspector]:
    fields = {f.code: f for f in TestingField.objects.all()}
    objs = Inspector.objects.bulk_create([
        Inspector(name=f"检查员{i}", authority=authority, card_number=f"C{next(_card):07d}",
                  card_valid_until=dt.date(2035, 1, 1)) for i in range(n)])
    through = Inspector.fields.through
    through.objects.bulk_create([through(inspector_id=o.pk, testingfield_id=fields[c].pk)
                                 for o in objs for c in field_codes])
    return objs


@pytest.fixture
def gd_organizer(gd_authority):
    """A regulator of the Guangdong bureau, which organizes the provincial plan."""
    return UserFactory(username="gd_organizer", role=Role.REGULATOR, authority=gd_authority,
                       is_staff=True)


@pytest.fixture
def gd_approver(gd_authority):
    """A second regulator of the Guangdong bureau: approves what the organizer requests."""
    return UserFactory(username="gd_approver", role=Role.REGULATOR, authority=gd_authority,
                       is_staff=True)


@pytest.fixture
def provincial_plan(gd_authority, gd_organizer):
    """A published Guangdong plan: 食品检验 3 (1 national centre), 机动车检验 2, 其他 2."""
    plan = SpotCheckPlan.objects.create(
        title="广东省2026年检验检测机构双随机抽查", year=2026, authority=gd_authority,
        region_id="440000", period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 11, 30),
        inspectors_per_task=2, workload_cap=3)
    fields = {f.code: f for f in TestingField.objects.all()}
    for order, (code, count, centres) in enumerate([("07", 3, 1), ("03", 2, None),
                                                     ("99", 2, None)]):
        PlanQuota.objects.create(plan=plan, field=fields[code], count=count,
                                 national_centre_count=centres, sort_order=order)
    make_institutions(field_code="07", n=12, centres=2)
    make_institutions(field_code="03", n=8, extra_fields=("07",))
    make_institutions(field_code="13", n=5)
    make_institutions(field_code="14", n=5, region="440304")
    make_institutions(field_code="07", n=2, status="suspended")
    make_inspectors(authority=gd_authority, n=6, field_codes=("07",))
    make_inspectors(authority=gd_authority, n=6, field_codes=("03",))
    make_inspectors(authority=gd_authority, n=4)
    plan.status = "published"
    plan.save(update_fields=["status"])
    return plan
