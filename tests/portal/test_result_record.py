"""result_record: who records, one result per task, the content rules, and what the result sets
off once reviewed and published: rectification orders and credit events (seed 002 §五(三))."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from credit.models import CreditEvent
from inspections.models import InspectionTask, RectificationOrder, TaskAssignment
from inspections.services.results import result_record

from ..cycle import publish

pytestmark = pytest.mark.django_db
CHECKED = dt.date(2023, 11, 1)


def record(task, user, category="no_problem", follow_up="none", findings="", **kwargs):
    return result_record(task=task, category=category, follow_up=follow_up, findings=findings,
                         checked_on=kwargs.pop("checked_on", CHECKED), user=user, **kwargs)


@pytest.fixture
def through_review(inspector_user, samr_reviewer, samr_organizer):
    """``through_review(task, **content)``: recorded and submitted by the team, approved by the
    reviewer, published by the organizer; returns the result."""
    from inspections.services.review import result_approve

    def go(task, **content):
        result = record(task, inspector_user, submit=True, **content)
        assert not RectificationOrder.objects.exists() and not CreditEvent.objects.exists()
        result_approve(result=result, user=samr_reviewer)
        publish(task.plan, samr_organizer)
        result.refresh_from_db()
        return result
    return go


def test_recording_takes_no_effect_before_review(task, inspector_user):
    result = record(task, inspector_user, category="problem_pending", follow_up="rectification",
                    findings="原始记录缺失", rectification_deadline=dt.date(2023, 12, 1),
                    rectification_requirements="补齐原始记录")
    task.refresh_from_db()
    assert task.status == "result_recorded" and result.recorded_by == inspector_user
    assert result.state == "recorded"
    assert not RectificationOrder.objects.exists() and not CreditEvent.objects.exists()


def test_a_clean_result_writes_a_non_public_event(task, through_review, samr_organizer):
    through_review(task)
    event = CreditEvent.objects.get(source_task=task)
    assert (event.kind, event.is_public, event.occurred_on) == ("inspection_clean", False, CHECKED)
    assert event.recorded_by == samr_organizer
    assert not RectificationOrder.objects.exists()


def test_a_problem_opens_a_rectification_order_and_writes_a_credit_event(task, through_review):
    result = through_review(task, category="problem_pending", follow_up="rectification",
                            findings="原始记录缺失", rectification_deadline=dt.date(2023, 12, 1),
                            rectification_requirements="补齐原始记录")
    order = RectificationOrder.objects.get(task=task)
    assert (order.institution, order.deadline, order.status, order.result) == (
        task.institution, dt.date(2023, 12, 1), "open", result)
    event = CreditEvent.objects.get(source_task=task)
    assert (event.kind, event.is_public, event.source_result) == (
        "rectification_ordered", True, result)
    assert event.institution == task.institution


def test_a_problem_with_a_case_writes_a_case_event(task, through_review):
    through_review(task, category="problem_pending", follow_up="case_opened",
                   findings="出具虚假报告")
    assert CreditEvent.objects.get(source_task=task).kind == "case_opened"
    assert not RectificationOrder.objects.exists()


def test_a_problem_transferred_writes_an_inspection_problem_event(task, through_review):
    through_review(task, category="problem_corrected", follow_up="transferred",
                   findings="超范围出具报告")
    assert CreditEvent.objects.get(source_task=task).kind == "inspection_problem"


def test_non_cooperation_writes_a_public_non_cooperation_event(task, through_review):
    through_review(task, category="non_cooperation", follow_up="case_opened",
                   findings="拒绝提供记录")
    event = CreditEvent.objects.get(source_task=task)
    assert (event.kind, event.is_public) == ("non_cooperation", True)


def test_a_closed_institution_writes_no_credit_event(task, through_review):
    through_review(task, category="closed", follow_up="abnormal_list")
    assert not CreditEvent.objects.exists()


def test_it_requires_a_follow_up_when_a_problem_is_found(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, category="problem_pending", findings="问题")
    assert "follow_up" in exc.value.message_dict


def test_it_requires_findings_when_a_problem_is_found(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, category="problem_pending", follow_up="transferred")
    assert "findings" in exc.value.message_dict


def test_it_requires_deadline_and_requirements_for_a_rectification(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, category="problem_pending", follow_up="rectification",
               findings="问题")
    assert {"rectification_deadline", "rectification_requirements"} <= set(
        exc.value.message_dict)
    assert not CreditEvent.objects.exists()


def test_it_requires_a_deadline_after_the_check(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, category="problem_pending", follow_up="rectification",
               findings="问题", rectification_deadline=CHECKED,
               rectification_requirements="整改")
    assert "rectification_deadline" in exc.value.message_dict


def test_it_rejects_a_rectification_without_a_problem(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, follow_up="rectification",
               rectification_deadline=dt.date(2023, 12, 1), rectification_requirements="x")
    assert "follow_up" in exc.value.message_dict


def test_it_rejects_an_unknown_category(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, category="fine")
    assert "category" in exc.value.message_dict


def test_it_rejects_a_check_date_in_the_future(task, inspector_user):
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user, checked_on=timezone.localdate() + dt.timedelta(days=1))
    assert "checked_on" in exc.value.message_dict


def test_it_rejects_a_second_result(task, inspector_user):
    record(task, inspector_user)
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user)
    assert "task" in exc.value.message_dict
    assert task.results.count() == 1


def test_it_rejects_a_replaced_task(task, inspector_user):
    InspectionTask.objects.filter(pk=task.pk).update(status="replaced")
    with pytest.raises(ValidationError) as exc:
        record(task, inspector_user)
    assert "task" in exc.value.message_dict


def test_it_rejects_an_inspector_not_on_the_team(task, other_inspector_user):
    with pytest.raises(PermissionDenied):
        record(task, other_inspector_user)


def test_it_rejects_an_inspector_whose_assignment_is_inactive(task, inspector_user):
    TaskAssignment.objects.filter(task=task, inspector__user=inspector_user).update(active=False)
    with pytest.raises(PermissionDenied):
        record(task, inspector_user)


def test_it_rejects_a_regulator_and_an_admin(task, regulator, samr_organizer, admin_user):
    for user in (regulator, samr_organizer, admin_user):
        with pytest.raises(PermissionDenied):
            record(task, user)
