"""inspections:task_result — the result form of one task (seed 002 §五(三))."""

import pytest
from django.urls import reverse

from credit.models import CreditEvent
from inspections.models import InspectionResult, RectificationOrder

pytestmark = pytest.mark.django_db
CLEAN = {"category": "no_problem", "follow_up": "none", "findings": "",
         "checked_on": "2023-11-01"}


def url(task):
    return reverse("inspections:task_result", args=[task.pk])


def test_it_shows_the_seven_categories(client_as, task, inspector_user):
    r = client_as(inspector_user).get(url(task))
    assert r.status_code == 200
    choices = [value for value, _label in r.context["form"].fields["category"].choices if value]
    assert len(choices) == 7


def test_it_records_a_clean_result(client_as, task, inspector_user):
    r = client_as(inspector_user).post(url(task), CLEAN)
    assert r.status_code == 302
    assert InspectionResult.objects.get(task=task).category == "no_problem"
    assert not CreditEvent.objects.get().is_public


def test_a_problem_opens_a_rectification_order(client_as, task, inspector_user):
    r = client_as(inspector_user).post(url(task), CLEAN | {
        "category": "problem_pending", "follow_up": "rectification", "findings": "记录缺失",
        "rectification_deadline": "2023-12-01", "rectification_requirements": "补齐记录"})
    assert r.status_code == 302
    assert RectificationOrder.objects.get(task=task).requirements == "补齐记录"
    assert CreditEvent.objects.get().kind == "rectification_ordered"


def test_it_shows_the_field_errors_of_the_service(client_as, task, inspector_user):
    r = client_as(inspector_user).post(url(task), CLEAN | {
        "category": "problem_pending", "follow_up": "rectification", "findings": "记录缺失"})
    assert r.status_code == 200
    assert "rectification_deadline" in r.context["form"].errors
    assert not InspectionResult.objects.exists()


def test_it_shows_a_recorded_result_instead_of_the_form(client_as, task, inspector_user):
    client = client_as(inspector_user)
    client.post(url(task), CLEAN)
    r = client.get(url(task))
    assert r.context["form"] is None and r.context["result"].category == "no_problem"
    assert client.post(url(task), CLEAN).status_code == 200
    assert InspectionResult.objects.count() == 1


def test_an_inspector_not_on_the_team_gets_404(client_as, task, other_inspector_user):
    assert client_as(other_inspector_user).post(url(task), CLEAN).status_code == 404
    assert not InspectionResult.objects.exists()


def test_it_forbids_a_regulator(client_as, task, regulator):
    assert client_as(regulator).post(url(task), CLEAN).status_code == 403


def test_it_forbids_the_institution(client_as, task, institution_user):
    assert client_as(institution_user).get(url(task)).status_code == 403
