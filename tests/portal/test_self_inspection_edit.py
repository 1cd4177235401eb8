"""inspections:self_inspection_edit — the self-inspection form (seed 002 §四)."""

import pytest
from django.urls import reverse

from inspections.models import PlanStatus, SelfInspectionSubmission, SpotCheckPlan

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("inspections:self_inspection_edit", args=[campaign.pk])


def post_data(campaign, answer="yes", **extra):
    data = {}
    for i, _ in enumerate(campaign.focus_items):
        data[f"answer_{i}"] = answer
        data[f"remark_{i}"] = ""
    data.update(extra)
    return data


def test_it_shows_the_six_focus_items(client_as, campaign, institution_user):
    r = client_as(institution_user).get(url(campaign))
    assert r.status_code == 200
    body = r.content.decode()
    assert len(campaign.focus_items) == 6
    assert all(item in body for item in campaign.focus_items)
    assert body.count('type="radio"') == 18


def test_it_saves_a_draft(client_as, campaign, institution_user):
    data = post_data(campaign, answer="", save="1")
    data["answer_0"] = "na"
    r = client_as(institution_user).post(url(campaign), data)
    assert r.status_code == 302
    sub = SelfInspectionSubmission.objects.get(institution=institution_user.institution)
    assert sub.status == "draft" and sub.answers[0]["answer"] == "na"


def test_it_submits(client_as, campaign, institution_user):
    r = client_as(institution_user).post(url(campaign), post_data(campaign, submit="1"))
    assert r.status_code == 302 and r.url == reverse("inspections:portal_home")
    assert SelfInspectionSubmission.objects.get().status == "submitted"


def test_it_shows_the_errors_of_an_incomplete_submission(client_as, campaign, institution_user):
    data = post_data(campaign, submit="1")
    data["answer_3"] = "no"
    r = client_as(institution_user).post(url(campaign), data)
    assert r.status_code == 200
    assert r.context["form"].non_field_errors()
    assert not SelfInspectionSubmission.objects.exists()


def test_it_is_read_only_after_submission(client_as, campaign, institution_user):
    client = client_as(institution_user)
    client.post(url(campaign), post_data(campaign, submit="1"))
    r = client.get(url(campaign))
    assert r.context["read_only"] and 'type="radio"' not in r.content.decode()
    r = client.post(url(campaign), post_data(campaign, answer="na", save="1"))
    assert r.status_code == 200
    assert SelfInspectionSubmission.objects.get().answers[0]["answer"] == "yes"


def test_it_gives_404_for_a_campaign_of_a_draft_plan(client_as, campaign, institution_user):
    SpotCheckPlan.objects.filter(pk=campaign.plan_id).update(status=PlanStatus.DRAFT)
    assert client_as(institution_user).get(url(campaign)).status_code == 404


def test_another_institution_gets_its_own_form(client_as, campaign, institution_user,
                                               other_institution_user):
    client_as(institution_user).post(url(campaign), post_data(campaign, submit="1"))
    r = client_as(other_institution_user).get(url(campaign))
    assert r.status_code == 200 and not r.context["read_only"]
    assert r.context["submission"] is None


def test_it_forbids_a_regulator(client_as, campaign, regulator):
    assert client_as(regulator).get(url(campaign)).status_code == 403


def test_it_forbids_an_inspector(client_as, campaign, inspector_user):
    assert client_as(inspector_user).post(url(campaign), post_data(campaign)).status_code == 403
