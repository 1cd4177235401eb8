"""Plan rules applied by the service on the real registry: classes, weights, recusal kinds,
joint-check departments, exclusions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from credit.models import RiskClassification
from inspections.drawing import algorithm as alg
from inspections.drawing.verifier import verify
from inspections.models import (
    Authority,
    Draw,
    InspectionTask,
    Inspector,
    RiskWeighting,
    SelectionMode,
    TaskAssignment,
)
from inspections.publication import draw_record
from inspections.services.draw_pools import inspector_pool_build, institution_pool_build
from institutions.models import Institution

from ..cycle import commit, commit_and_run
from .conftest import make_inspectors

pytestmark = pytest.mark.django_db


def test_class_ratio_mode_takes_the_class_from_the_credit_app_first(provincial_plan,
                                                                    gd_organizer):
    provincial_plan.selection_mode = SelectionMode.CLASS_RATIO
    provincial_plan.class_ratios = {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"}
    provincial_plan.save()
    insts = list(Institution.objects.filter(status="active").order_by("id"))
    Institution.objects.filter(pk__in=[i.pk for i in insts[:10]]).update(credit_class="D")
    # the credit app says two of them are A now, and one more is D
    for i in insts[:2]:
        RiskClassification.objects.create(institution=i, risk_class="A",
                                          assessed_on=dt.date(2026, 1, 1))
    RiskClassification.objects.create(institution=insts[20], risk_class="D",
                                      assessed_on=dt.date(2026, 1, 1))
    draw = commit(provincial_plan, gd_organizer)
    strata = {e.code: e.stratum for e in alg.pool_parse(draw.pool)}
    assert strata[insts[0].uscc] == "A" and strata[insts[5].uscc] == "D"
    assert strata[insts[20].uscc] == "D" and strata[insts[25].uscc] == "B"
    alloc = {a["stratum"]: a for a in draw.parameters["institutions"]["allocation"]}
    assert alloc["D"]["size"] == 9 and alloc["D"]["count"] == 3  # round-half-up(0.3 × 9)


def test_weighted_quota_publishes_weights_and_records_them(provincial_plan, gd_organizer):
    provincial_plan.risk_weighting = RiskWeighting.CLASS_WEIGHT
    provincial_plan.class_weights = {"A": 1, "B": 2, "C": 4, "D": 8}
    provincial_plan.save()
    draw = commit_and_run(provincial_plan, gd_organizer, "w")
    # decimal strings, so that the parameters hash alike in every language
    assert draw.parameters["institutions"]["weights"] == {"A": "1", "B": "2", "C": "4", "D": "8"}
    assert draw.status == "completed"
    assert verify(draw_record(draw), draw.pool, draw.inspector_pool) == []


def test_former_employer_previous_cycle_and_same_county_are_ties(provincial_plan, gd_organizer):
    inst = Institution.objects.filter(status="active").first()
    a, b, c = Inspector.objects.all()[:3]
    Inspector.objects.filter(pk=a.pk).update(former_employer=inst,
                                             employed_until=dt.date.today() - dt.timedelta(400))
    Inspector.objects.filter(pk=b.pk).update(former_employer=inst,
                                             employed_until=dt.date(2015, 1, 1))
    # b inspected inst in the previous cycle's plan
    prev = type(provincial_plan).objects.create(
        title="上一年度", year=provincial_plan.year - 1, authority=provincial_plan.authority,
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    old_draw = Draw.objects.create(plan=prev, kind="supp_institution", algorithm_version="x",
                                   pool="", pool_digest="0", pool_size=0, commitment="0",
                                   server_seed="0")
    task = InspectionTask.objects.create(plan=prev, institution=inst, draw=old_draw,
                                         stratum="07", deadline=dt.date(2025, 12, 31))
    TaskAssignment.objects.create(task=task, inspector=b, draw=old_draw)
    ties = {e.code: e.ties for e in inspector_pool_build(plan=provincial_plan,
                                                         at=timezone.now())}
    assert ties[a.card_number] == {inst.uscc: "former_employer"}
    assert ties[b.card_number] == {inst.uscc: "previous_cycle"}
    assert ties[c.card_number] == {}
    # the previous plan's task also excludes the institution (checked in the last 12 months)
    Draw.objects.filter(pk=old_draw.pk).update(completed_at=timezone.now())
    entries, exclusions = institution_pool_build(plan=provincial_plan, at=timezone.now())
    assert exclusions["checked_within_12_months"] == 1
    assert inst.uscc not in {e.code for e in entries}


def test_joint_check_puts_one_inspector_of_each_department_on_every_team(
        provincial_plan, gd_organizer):
    customs = Authority.objects.get(name="海关总署")
    provincial_plan.participating_authorities.add(customs)
    provincial_plan.joint_departments = ["customs"]
    provincial_plan.workload_cap = 10
    provincial_plan.save()
    make_inspectors(authority=customs, n=3, field_codes=("05",))
    draw = commit_and_run(provincial_plan, gd_organizer, "j")
    assert draw.status == "completed", draw.result
    for task in InspectionTask.objects.filter(plan=provincial_plan):
        departments = [a.inspector.authority.department for a in task.assignments.all()]
        assert "customs" in departments and len(departments) >= 2


def test_expired_cards_and_inactive_inspectors_are_not_in_the_pool(provincial_plan):
    a, b = Inspector.objects.all()[:2]
    Inspector.objects.filter(pk=a.pk).update(card_valid_until=dt.date(2020, 1, 1))
    Inspector.objects.filter(pk=b.pk).update(active=False)
    codes = {e.code for e in inspector_pool_build(plan=provincial_plan, at=timezone.now())}
    assert a.card_number not in codes and b.card_number not in codes


@pytest.mark.parametrize(("field", "value", "named"), [
    ("class_ratios", {"D": "0.3x"}, "0.3x"), ("class_ratios", {"D": "1.5"}, "1.5"),
    ("class_ratios", {"E": "0.1"}, "E"), ("class_weights", {"C": 0}, "0"),
    ("class_weights", {"C": "heavy"}, "heavy")])
def test_bad_class_ratios_and_weights_are_refused_naming_field_and_value(
        provincial_plan, gd_organizer, field, value, named):
    from django.core.exceptions import ValidationError

    from inspections.services.plans import draw_parameters

    if field == "class_ratios":
        provincial_plan.selection_mode = SelectionMode.CLASS_RATIO
    else:
        provincial_plan.risk_weighting = RiskWeighting.CLASS_WEIGHT
    setattr(provincial_plan, field, value)
    with pytest.raises(ValidationError) as model_error:  # the admin form runs this
        provincial_plan.full_clean()
    assert field in model_error.value.message_dict
    with pytest.raises(ValidationError) as draw_error:  # and the draw, for plans made in code
        draw_parameters(provincial_plan)
    assert named in " ".join(draw_error.value.message_dict[field])


def test_the_henan_preset_fills_the_class_ratios_through_the_admin_form(provincial_plan):
    from django.forms.models import model_to_dict

    from inspections.admin import SpotCheckPlanAdminForm

    data = {k: v for k, v in model_to_dict(provincial_plan).items() if v is not None}
    data.update({"class_ratio_preset": "henan_2021", "natures": "[]", "class_ratios": "{}",
                 "class_weights": "{}", "joint_departments": "[]",
                 "fields": [], "check_items": [],
                 "participating_authorities": [a.pk for a in data["participating_authorities"]]})
    form = SpotCheckPlanAdminForm(data=data, instance=provincial_plan)
    assert form.is_valid(), form.errors
    plan = form.save()
    assert plan.selection_mode == SelectionMode.CLASS_RATIO
    assert plan.class_ratios == {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"}


def test_exclusions_are_shown_in_words_on_the_public_plan_page(provincial_plan, gd_organizer,
                                                               client):
    draw = commit(provincial_plan, gd_organizer)
    assert draw.exclusions == {"status_suspended": 2}
    from django.utils import translation

    from institutions.models import InstitutionStatus

    page = client.get(f"/inspections/public/plans/{provincial_plan.pk}/").content.decode()
    with translation.override("zh-hans"):
        label = str(InstitutionStatus.SUSPENDED.label)
    assert "status_suspended" not in page
    assert f'<span class="badge">{label}: 2</span>' in page
