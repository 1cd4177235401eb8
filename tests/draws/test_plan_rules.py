"""What a plan may say and what it draws: the jurisdiction lies inside the organizer's region
(only a national authority organizes a national plan), the certificate level filters the pool
(the 2023 national plan draws SAMR-certified institutions only, seed 002 §二), and weighted
quotas publish each class's inclusion probability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.drawing import algorithm as alg
from inspections.models import SpotCheckPlan
from inspections.services.draw_pools import institution_pool_build
from inspections.services.plans import plan_publish
from institutions.codes import certificate_number_make
from institutions.models import Institution
from qualifications.models import Certificate

from ..cycle import commit, commit_and_run, run
from ..factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_a_provincial_regulator_cannot_publish_a_national_plan(gd_organizer, gd_authority):
    plan = SpotCheckPlan.objects.create(
        title="越权的全国计划", year=2026, authority=gd_authority, region=None,
        period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 11, 30), total=3)
    with pytest.raises(ValidationError) as exc:
        plan_publish(plan=plan, user=gd_organizer)
    assert "region" in exc.value.message_dict
    plan.region_id = "430000"  # Hunan: outside Guangdong
    plan.save()
    with pytest.raises(ValidationError) as exc:
        plan_publish(plan=plan, user=gd_organizer)
    assert "region" in exc.value.message_dict
    assert SpotCheckPlan.objects.get(pk=plan.pk).status == "draft"


def test_the_admin_refuses_a_national_plan_by_a_provincial_regulator(client_as, gd_organizer,
                                                                   gd_authority, hn_authority):
    form = {"title": "全国计划", "year": "2026", "authority": str(gd_authority.pk),
            "period_start": "2026-03-01", "period_end": "2026-11-30", "selection_mode": "total",
            "total": "3", "risk_weighting": "none", "exclude_checked_months": "12",
            "inspectors_per_task": "2", "workload_cap": "5", "recuse_former_employer_years": "3",
            "certificate_level": "any", "natures": "[]", "class_ratios": "{}",
            "class_weights": "{}", "joint_departments": "[]",
            "quotas-TOTAL_FORMS": "0", "quotas-INITIAL_FORMS": "0"}
    c = client_as(gd_organizer)
    national = c.post("/admin/inspections/spotcheckplan/add/", form)
    assert national.status_code == 200 and "region" in national.context["adminform"].form.errors
    foreign = c.post("/admin/inspections/spotcheckplan/add/",
                     {**form, "authority": str(hn_authority.pk), "region": "430000"})
    assert foreign.status_code == 200
    errors = foreign.context["adminform"].form.errors
    assert "authority" in errors and "region" in errors
    assert not SpotCheckPlan.objects.filter(title="全国计划").exists()
    own = c.post("/admin/inspections/spotcheckplan/add/", {**form, "region": "440000"})
    assert own.status_code == 302
    assert SpotCheckPlan.objects.get(title="全国计划").created_by == gd_organizer


def test_the_publishing_of_a_plan_is_in_the_ledger(provincial_plan, gd_organizer, admin_user):
    from inspections.models import LedgerEntry

    SpotCheckPlan.objects.filter(pk=provincial_plan.pk).update(status="draft")
    provincial_plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plan_publish(plan=provincial_plan, user=admin_user)
    plan_publish(plan=provincial_plan, user=gd_organizer)
    entry = LedgerEntry.objects.get(kind="plan_published")
    assert entry.plan == provincial_plan and entry.payload["jurisdiction"] == "440000"
    assert entry.payload["parameters"]["institutions"]["quotas"] == {"07": 3, "03": 2, "99": 2}


def _certify(institution, *, national: bool, issued=dt.date(2022, 3, 1)):
    number = certificate_number_make(
        year=issued.year % 100, authority="00" if national else institution.region_id[:2],
        field=institution.primary_field.code, industry="12",
        serial=institution.pk % 9000 + 1000)
    return CertificateFactory(institution=institution, number=number, issued_on=issued,
                              valid_until=issued.replace(year=issued.year + 6),
                              issuing_authority="市场监管总局" if national else "广东省市场监督管理局")


def test_the_certificate_level_filters_the_pool_and_counts_the_rest(provincial_plan):
    institutions = list(Institution.objects.filter(status="active").order_by("pk"))
    for i, inst in enumerate(institutions):
        if i % 3 == 0:
            _certify(inst, national=True)
        elif i % 3 == 1:
            _certify(inst, national=False)
    late = institutions[3]  # national, but issued after the draw date
    late.certificates.update(issued_on=dt.date(2026, 12, 31), valid_until=dt.date(2032, 12, 30))
    provincial_plan.certificate_level = "national"
    entries, exclusions = institution_pool_build(plan=provincial_plan,
                                                 at=timezone.make_aware(dt.datetime(2026, 6, 1)))
    national = {c.institution.uscc for c in Certificate.objects.filter(
        number__regex=r"^[0-9]{2}00", issued_on__lte=dt.date(2026, 6, 1))}
    assert {e.code for e in entries} == national and late.uscc not in national
    assert exclusions["certificate_level_not_in_plan"] == len(institutions) - len(national)
    provincial_plan.certificate_level = "provincial"
    entries, _ = institution_pool_build(plan=provincial_plan,
                                        at=timezone.make_aware(dt.datetime(2026, 6, 1)))
    assert {e.code for e in entries}.isdisjoint(national) and entries


def test_the_2023_national_plan_draws_only_samr_certified_institutions(ref, gd_authority):
    """The reference plan says so (certificate_level "national"), and its draw follows."""
    from accounts.models import Role
    from inspections.models import Authority, PlanQuota

    from ..draws.conftest import make_inspectors, make_institutions
    from ..factories import UserFactory

    plan = SpotCheckPlan.objects.get(year=2023)
    assert plan.certificate_level == "national"
    samr = Authority.objects.get(name="市场监管总局")
    organizer = UserFactory(username="samr", role=Role.REGULATOR, authority=samr, is_staff=True)
    PlanQuota.objects.filter(plan=plan).update(count=1, national_centre_count=None)
    SpotCheckPlan.objects.filter(pk=plan.pk).update(national_centre_count=None)
    plan.refresh_from_db()
    fields = list(PlanQuota.objects.filter(plan=plan).values_list("field__code", flat=True))
    for code in fields:
        for inst in make_institutions(field_code=code, n=4):
            _certify(inst, national=inst.pk % 2 == 0, issued=dt.date(2021, 1, 1))
    for authority in [samr, *plan.participating_authorities.all()]:
        make_inspectors(authority=authority, n=8, field_codes=tuple(fields))
    plan_publish(plan=plan, user=organizer, now=timezone.make_aware(dt.datetime(2023, 9, 28)))
    at = timezone.make_aware(dt.datetime(2023, 10, 8, 10))
    draw = run(commit(plan, organizer, now=at), organizer)
    assert draw.status == "completed", draw.result
    drawn = Institution.objects.filter(inspection_tasks__plan=plan)
    assert drawn.count() == len(fields)
    for inst in drawn:
        assert inst.certificates.filter(number__regex=r"^[0-9]{2}00").exists(), inst


def test_weighted_quotas_publish_each_class_inclusion_probability(client, provincial_plan,
                                                                   gd_organizer):
    from inspections.drawing.inclusion import class_inclusion_probabilities

    provincial_plan.risk_weighting = "class_weight"
    provincial_plan.class_weights = {"A": 1, "B": 2, "C": 4, "D": 8}
    provincial_plan.save()
    Institution.objects.filter(primary_field__code="13").update(credit_class="D")
    draw = commit_and_run(provincial_plan, gd_organizer)
    page = client.get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    members = {}
    for e in alg.pool_parse(draw.pool):
        if e.stratum == "99":
            members[e.risk] = members.get(e.risk, 0) + 1
    expected = class_inclusion_probabilities(members, {"A": 1, "B": 2, "C": 4, "D": 8}, 2)
    for cls, p in expected.items():
        assert f"{cls} ({members[cls]}): {p:.4f}" in page
    assert expected["D"] / expected["-"] < 8  # the weights are not the ratio of the chances
