"""The admin a regulator reaches is scoped like every other page (DOMAIN.md: a regulator sees what
lies inside his authority's region), and a plan is edited by its organizer only, as a draft.

A guard test walks every registered admin: an admin of a model with a ``for_user`` selector
must use it, and a regulator may view unscoped models only if they are public reference data.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts.roles import ROLE_PERMISSIONS
from common.adminmixins import ScopedAdminMixin
from inspections.models import (
    InspectionResult,
    PlanStatus,
    Recusal,
    SelfInspectionCampaign,
    SpotCheckPlan,
)
from inspections.services.results import result_record

from ..factories import InspectorFactory

pytestmark = pytest.mark.django_db

#: what a regulator may list nationwide: public reference data, the same for every region
REFERENCE = {"institutions.region", "institutions.testingfield", "inspections.checkitem"}


def test_every_admin_a_regulator_reaches_is_scoped(regulator):
    viewable = {label for label, actions in ROLE_PERMISSIONS["regulator"].items()
                if "view" in actions.split()}
    request = RequestFactory().get("/admin/")
    request.user = regulator
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label not in viewable:
            continue
        has_selector = hasattr(model._default_manager.get_queryset(), "for_user")
        scoped = (isinstance(model_admin, ScopedAdminMixin)
                  or "get_queryset" in type(model_admin).__dict__)
        if has_selector:
            assert scoped, f"{label}: its admin does not go through for_user"
        else:
            assert label in REFERENCE or scoped, f"{label}: a regulator sees it unscoped"


def test_results_in_the_admin_are_scoped(client_as, regulator, outsider_regulator, task,
                                         other_task, inspector_user):
    mine = result_record(task=task, category="no_problem", follow_up="none", findings="",
                         checked_on=dt.date(2023, 11, 1), user=inspector_user)
    theirs = InspectionResult.objects.create(task=other_task, category="no_problem",
                                             checked_on=dt.date(2023, 11, 2),
                                             recorded_by=inspector_user)
    assert set(InspectionResult.objects.for_user(regulator)) == {mine}
    assert set(InspectionResult.objects.for_user(outsider_regulator)) == {theirs}
    page = client_as(regulator).get("/admin/inspections/inspectionresult/")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    other = client_as(regulator).get(f"/admin/inspections/inspectionresult/{theirs.pk}/change/")
    assert other.status_code == 404


def test_recusals_in_the_admin_are_scoped_and_cannot_name_another_regions_inspector(
        client_as, regulator, hn_authority, gd_authority, institution, other_institution):
    gd, hn = InspectorFactory(authority=gd_authority), InspectorFactory(authority=hn_authority)
    own = Recusal.objects.create(inspector=gd, institution=institution, reason="亲属")
    foreign = Recusal.objects.create(inspector=hn, institution=other_institution, reason="亲属")
    assert set(Recusal.objects.for_user(regulator)) == {own}
    client = client_as(regulator)
    assert client.get(f"/admin/inspections/recusal/{foreign.pk}/change/").status_code == 404
    response = client.post("/admin/inspections/recusal/add/", {
        "inspector": hn.pk, "institution": institution.pk, "kind": "declared_tie",
        "reason": "前雇主"})
    assert response.status_code == 200  # the form again, with the error on the field
    assert "inspector" in response.context["adminform"].form.errors
    assert not Recusal.objects.filter(inspector=hn, institution=institution).exists()


def test_a_national_plan_and_its_campaign_are_read_only_to_a_provincial_regulator(
        client_as, regulator, plan):
    campaign = SelfInspectionCampaign.objects.get(plan=plan)
    client = client_as(regulator)
    page = client.get(f"/admin/inspections/spotcheckplan/{plan.pk}/change/")
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    before = plan.title
    client.post(f"/admin/inspections/spotcheckplan/{plan.pk}/change/", {"title": "改"})
    assert SpotCheckPlan.objects.get(pk=plan.pk).title == before
    assert client.get(f"/admin/inspections/selfinspectioncampaign/{campaign.pk}/change/"
                      ).context["has_change_permission"] is False


def test_the_organizer_edits_his_plan_only_while_it_is_a_draft(client_as, gd_authority,
                                                               regulator):
    plan = SpotCheckPlan.objects.create(
        title="广东省2027年抽查", year=2027, authority=gd_authority, region_id="440000",
        period_start=dt.date(2027, 3, 1), period_end=dt.date(2027, 11, 30))
    url = f"/admin/inspections/spotcheckplan/{plan.pk}/change/"
    assert client_as(regulator).get(url).context["has_change_permission"] is True
    SpotCheckPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.PUBLISHED)
    page = client_as(regulator).get(url)
    assert page.context["has_change_permission"] is False
    inlines = page.context["inline_admin_formsets"]
    assert inlines and not any(f.has_add_permission or f.has_change_permission
                               or f.has_delete_permission for f in inlines)


def test_a_regulator_attaches_campaigns_only_to_plans_he_organizes(client_as, regulator, plan,
                                                                   gd_authority):
    own = SpotCheckPlan.objects.create(
        title="广东省2027年抽查", year=2027, authority=gd_authority, region_id="440000",
        period_start=dt.date(2027, 3, 1), period_end=dt.date(2027, 11, 30))
    form = {"title": "自查", "due": "2027-06-30", "focus_items": '["资质认定证书是否有效"]',
            "pledge_text": "承诺"}
    client = client_as(regulator)
    foreign = client.post("/admin/inspections/selfinspectioncampaign/add/",
                          {**form, "plan": plan.pk})  # SAMR's national plan
    assert "plan" in foreign.context["adminform"].form.errors
    assert not SelfInspectionCampaign.objects.filter(title="自查").exists()
    saved = client.post("/admin/inspections/selfinspectioncampaign/add/", {**form, "plan": own.pk})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert SelfInspectionCampaign.objects.get(title="自查").plan == own
