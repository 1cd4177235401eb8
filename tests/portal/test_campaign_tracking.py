"""inspections:campaign_tracking_list and campaign_tracking — who has not submitted, by deadline
(seed 002 §四; DOMAIN.md: late and missing submissions are visible to regulators)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionTask, PlanStatus, SpotCheckPlan
from inspections.services.campaigns import self_inspection_save
from tests.factories import InstitutionFactory

from .conftest import answers

pytestmark = pytest.mark.django_db
LIST = reverse("inspections:campaign_tracking_list")


def url(campaign, query=""):
    return reverse("inspections:campaign_tracking", args=[campaign.pk]) + query


def set_due(campaign, days_from_today):
    campaign.due = timezone.localdate() + dt.timedelta(days=days_from_today)
    campaign.save()


def test_the_list_shows_the_campaigns_the_regulator_sees(client_as, campaign, regulator):
    r = client_as(regulator).get(LIST)
    assert r.status_code == 200 and campaign.title in r.content.decode()


def test_the_list_forbids_an_institution_user(client_as, institution_user):
    assert client_as(institution_user).get(LIST).status_code == 403


def test_the_list_forbids_an_inspector(client_as, inspector_user):
    assert client_as(inspector_user).get(LIST).status_code == 403


def test_it_shows_missing_before_the_deadline(client_as, campaign, task, regulator):
    set_due(campaign, 3)
    r = client_as(regulator).get(url(campaign))
    assert r.status_code == 200
    assert [row.status for row in r.context["page"]] == ["missing"]
    assert r.context["countdown"] == {"days_left": 3, "days": 3, "state": "near"}
    assert r.context["counts"]["not_submitted"] == 1


def test_it_shows_late_after_the_deadline(client_as, campaign, task, other_task, admin_user,
                                          institution_user):
    set_due(campaign, -1)
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    r = client_as(admin_user).get(url(campaign))
    statuses = {row.institution.pk: row.status for row in r.context["page"]}
    assert statuses == {task.institution.pk: "late", other_task.institution.pk: "missing"}
    assert r.context["countdown"]["state"] == "past"
    assert r.context["counts"]["late"] == 1 and r.context["counts"]["not_submitted"] == 1
    assert "Submitted late" in r.content.decode() or "逾期提交" in r.content.decode()


def test_it_shows_submitted_on_the_due_day(client_as, campaign, task, regulator,
                                           institution_user):
    set_due(campaign, 0)
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    r = client_as(regulator).get(url(campaign))
    assert [row.status for row in r.context["page"]] == ["submitted"]


def test_the_not_submitted_filter_keeps_missing_and_draft(client_as, campaign, task, other_task,
                                                          admin_user, institution_user):
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    r = client_as(admin_user).get(url(campaign, "?show=open"))
    assert [row.institution for row in r.context["page"]] == [other_task.institution]
    assert r.context["counts"]["expected"] == 2


def test_an_outsider_regulator_sees_only_his_region(client_as, campaign, task, other_task,
                                                     outsider_regulator):
    r = client_as(outsider_regulator).get(url(campaign))
    assert [row.institution for row in r.context["page"]] == [other_task.institution]


def test_a_regional_plan_of_another_province_gives_404(client_as, campaign, outsider_regulator):
    gd = SpotCheckPlan.objects.filter(pk=campaign.plan_id)
    gd.update(region_id="440000", status=PlanStatus.PUBLISHED)
    assert client_as(outsider_regulator).get(url(campaign)).status_code == 404


def test_it_forbids_an_institution_user(client_as, campaign, institution_user):
    assert client_as(institution_user).get(url(campaign)).status_code == 403


def test_it_pins_the_query_count(client_as, campaign, plan, draw, admin_user,
                                 django_assert_max_num_queries):
    for n in range(12):
        InspectionTask.objects.create(plan=plan, institution=InstitutionFactory(name=f"机构{n}"),
                                      draw=draw, stratum="07", deadline=dt.date(2023, 11, 20))
    client = client_as(admin_user)
    with django_assert_max_num_queries(7):
        r = client.get(url(campaign))
    assert len(r.context["page"]) == 12


def test_the_list_pins_the_query_count(client_as, campaign, regulator,
                                       django_assert_max_num_queries):
    client = client_as(regulator)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).status_code == 200
