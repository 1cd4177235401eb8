"""inspections:task_result — the task page: the team records and submits, the reviewer approves
or returns, the team or organizer corrects a published result (seed 002 §五(三))."""

import pytest
from django.urls import reverse

from credit.models import CreditEvent
from inspections.models import InspectionResult, RectificationOrder

from ..cycle import publish

pytestmark = pytest.mark.django_db
CLEAN = {"action": "record", "category": "no_problem", "follow_up": "none", "findings": "",
         "checked_on": "2023-11-01"}


def url(task):
    return reverse("inspections:task_result", args=[task.pk])


def test_it_shows_the_seven_categories(client_as, task, inspector_user):
    r = client_as(inspector_user).get(url(task))
    assert r.status_code == 200
    form = r.context["forms"]["record"]
    assert len([value for value, _label in form.fields["category"].choices if value]) == 7


def test_it_records_a_clean_result_and_submits_it(client_as, task, inspector_user):
    c = client_as(inspector_user)
    assert c.post(url(task), CLEAN).status_code == 302
    result = InspectionResult.objects.get(task=task)
    assert result.state == "recorded" and not CreditEvent.objects.exists()
    r = c.post(url(task), CLEAN | {"action": "update", "submit": "1"})
    assert r.status_code == 302
    result.refresh_from_db()
    assert result.state == "submitted"


def test_the_reviewer_approves_and_the_order_is_issued(client_as, task, inspector_user,
                                                      samr_reviewer):
    client_as(inspector_user).post(url(task), CLEAN | {
        "category": "problem_pending", "follow_up": "rectification", "findings": "记录缺失",
        "rectification_deadline": "2023-12-01", "rectification_requirements": "补齐记录",
        "submit": "1"})
    assert not RectificationOrder.objects.exists()
    reviewer = client_as(samr_reviewer)
    assert "review" in reviewer.get(url(task)).context["forms"]
    assert reviewer.post(url(task), {"action": "approve", "review_note": ""}).status_code == 302
    assert RectificationOrder.objects.get(task=task).requirements == "补齐记录"


def test_a_return_needs_a_note_named_on_the_field(client_as, task, inspector_user,
                                                 samr_reviewer):
    client_as(inspector_user).post(url(task), CLEAN | {"submit": "1"})
    r = client_as(samr_reviewer).post(url(task), {"action": "return", "review_note": ""})
    assert r.status_code == 200 and "review_note" in r.context["forms"]["review"].errors
    assert InspectionResult.objects.get(task=task).state == "submitted"


def test_it_shows_the_field_errors_of_the_service(client_as, task, inspector_user):
    r = client_as(inspector_user).post(url(task), CLEAN | {
        "category": "problem_pending", "follow_up": "rectification", "findings": "记录缺失"})
    assert r.status_code == 200
    assert "rectification_deadline" in r.context["forms"]["record"].errors
    assert not InspectionResult.objects.exists()


def test_a_published_result_offers_only_a_correction(client_as, task, inspector_user,
                                                    samr_reviewer, samr_organizer):
    client = client_as(inspector_user)
    client.post(url(task), CLEAN | {"submit": "1"})
    client_as(samr_reviewer).post(url(task), {"action": "approve", "review_note": ""})
    publish(task.plan, samr_organizer)
    r = client.get(url(task))
    assert set(r.context["forms"]) == {"correct"}
    assert client.post(url(task), CLEAN).status_code == 200  # no record form any more
    r = client.post(url(task), CLEAN | {"action": "correct", "correction_reason": "复核有误",
                                        "category": "no_activity", "submit": "1"})
    assert r.status_code == 302
    assert list(task.results.values_list("revision", "state")) == [(1, "published"),
                                                                   (2, "submitted")]


def test_an_inspector_not_on_the_team_gets_404(client_as, task, other_inspector_user):
    assert client_as(other_inspector_user).post(url(task), CLEAN).status_code == 404
    assert not InspectionResult.objects.exists()


def test_a_regulator_of_the_region_sees_it_but_cannot_record(client_as, task, regulator):
    r = client_as(regulator).post(url(task), CLEAN)
    assert r.status_code == 200 and not r.context["forms"]
    assert not InspectionResult.objects.exists()


def test_a_regulator_of_another_region_gets_404(client_as, task, outsider_regulator):
    assert client_as(outsider_regulator).post(url(task), CLEAN).status_code == 404


def test_it_forbids_the_institution(client_as, task, institution_user):
    assert client_as(institution_user).get(url(task)).status_code == 403
