"""Review, publication and correction of results: another person reviews, the organizer
publishes what he was shown, a published result changes only by a visible correction that
credit follows (DOMAIN.md "Records with legal effect"; seed 002 §五(三))."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from credit.models import CreditEvent
from inspections.models import InspectionResult, LedgerEntry, RectificationOrder
from inspections.services.results import result_correct, result_record, result_update
from inspections.services.review import (
    result_approve,
    result_return,
    results_publish,
    results_publish_preview,
)

from ..cycle import publish
from ..factories import UserFactory

pytestmark = pytest.mark.django_db
CHECKED = dt.date(2023, 11, 1)


def submitted(task, user, **content):
    values = {"category": "no_problem", "follow_up": "none", "findings": "",
              "checked_on": CHECKED, **content}
    return result_record(task=task, user=user, submit=True, **values)


@pytest.fixture
def published(task, inspector_user, samr_reviewer, samr_organizer):
    """A clean result on the Guangzhou task, approved and published."""
    result = submitted(task, inspector_user)
    result_approve(result=result, user=samr_reviewer)
    publish(task.plan, samr_organizer)
    result.refresh_from_db()
    return result


def test_the_reviewer_is_another_person_of_the_organizing_authority(
        task, inspector_user, samr_reviewer, regulator, outsider_regulator, admin_user):
    result = submitted(task, inspector_user)
    for user in (inspector_user, regulator, outsider_regulator, admin_user):
        with pytest.raises(PermissionDenied):
            result_approve(result=result, user=user)
    result_approve(result=result, user=samr_reviewer)
    result.refresh_from_db()
    assert (result.state, result.reviewed_by) == ("approved", samr_reviewer)


def test_a_correction_is_not_reviewed_by_its_own_author(published, samr_organizer,
                                                        samr_reviewer):
    correction = result_correct(result=published, user=samr_organizer, submit=True,
                                reason="复核发现记录不全", category="problem_pending",
                                follow_up="case_opened", findings="记录不全")
    with pytest.raises(PermissionDenied):
        result_approve(result=correction, user=samr_organizer)
    result_approve(result=correction, user=samr_reviewer)


def test_the_database_refuses_a_reviewer_who_recorded_the_result(task, inspector_user):
    result = submitted(task, inspector_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionResult.objects.filter(pk=result.pk).update(reviewed_by=inspector_user)


def test_a_returned_result_goes_back_to_the_team_and_is_resubmitted(task, inspector_user,
                                                                    samr_reviewer):
    result = submitted(task, inspector_user)
    with pytest.raises(ValidationError) as exc:
        result_return(result=result, user=samr_reviewer, note="")
    assert "review_note" in exc.value.message_dict
    result_return(result=result, user=samr_reviewer, note="请补充检查日期依据")
    result.refresh_from_db()
    assert result.state == "returned" and result.review_note == "请补充检查日期依据"
    result_update(result=result, user=inspector_user, submit=True,
                  checked_on=dt.date(2023, 10, 30))
    result.refresh_from_db()
    assert (result.state, result.checked_on) == ("submitted", dt.date(2023, 10, 30))


def test_a_result_under_review_or_approved_cannot_be_edited(task, inspector_user, samr_reviewer):
    result = submitted(task, inspector_user)
    with pytest.raises(ValidationError):
        result_update(result=result, user=inspector_user, findings="改")
    result_approve(result=result, user=samr_reviewer)
    with pytest.raises(ValidationError):
        result_update(result=result, user=inspector_user, findings="改")


def test_the_organizer_publishes_exactly_the_list_he_was_shown(
        task, other_task, inspector_user, samr_reviewer, samr_organizer, regulator):
    first = submitted(task, inspector_user)
    result_approve(result=first, user=samr_reviewer)
    shown = [r.pk for r in results_publish_preview(plan=task.plan, user=samr_organizer)]
    assert shown == [first.pk]
    with pytest.raises(PermissionDenied):  # a provincial regulator publishes nothing national
        results_publish_preview(plan=task.plan, user=regulator)
    with pytest.raises(PermissionDenied):
        results_publish(plan=task.plan, user=regulator, result_ids=shown)
    # meanwhile another result is approved: the list shown is no longer what would go out
    from inspections.models import TaskAssignment

    TaskAssignment.objects.create(task=other_task, inspector=inspector_user.inspector,
                                  draw=other_task.draw, is_leader=True)
    second = submitted(other_task, inspector_user)
    result_approve(result=second, user=samr_reviewer)
    with pytest.raises(ValidationError) as exc:
        results_publish(plan=task.plan, user=samr_organizer, result_ids=shown)
    assert "results" in exc.value.message_dict
    assert not InspectionResult.objects.published().exists()
    assert results_publish(plan=task.plan, user=samr_organizer,
                           result_ids=[first.pk, second.pk]) == 2
    entry = LedgerEntry.objects.filter(kind="results_published").get()
    assert {r["task"] for r in entry.payload["results"]} == {task.pk, other_task.pk}


def test_a_published_result_is_never_edited(published, inspector_user):
    with pytest.raises(ValidationError):
        result_update(result=published, user=inspector_user, findings="悄悄改")
    published.refresh_from_db()
    assert published.findings == ""


def test_a_correction_supersedes_the_result_and_credit_follows(
        published, task, inspector_user, samr_reviewer, samr_organizer):
    clean = CreditEvent.objects.get(source_result=published)
    assert clean.kind == "inspection_clean"
    with pytest.raises(ValidationError) as exc:
        result_correct(result=published, user=inspector_user, reason="", category="no_problem")
    assert "correction_reason" in exc.value.message_dict
    correction = result_correct(
        result=published, user=inspector_user, submit=True, reason="复核发现仪器检定过期",
        category="problem_pending", follow_up="rectification", findings="仪器检定过期",
        rectification_deadline=dt.date(2023, 12, 15), rectification_requirements="停用并送检")
    # until it is approved and published, the old result stays public and in force
    assert InspectionResult.objects.published().get(task=task) == published
    result_approve(result=correction, user=samr_reviewer)
    assert RectificationOrder.objects.get(task=task).result == correction
    assert InspectionResult.objects.effective().get(task=task) == correction
    publish(task.plan, samr_organizer)
    published.refresh_from_db()
    correction.refresh_from_db()
    assert (published.state, correction.state) == ("superseded", "published")
    assert InspectionResult.objects.published().get(task=task) == correction
    clean.refresh_from_db()
    new = CreditEvent.objects.get(source_result=correction)
    assert clean.superseded_at is not None and clean.superseded_by == new
    assert new.kind == "rectification_ordered" and new.is_public
    assert list(CreditEvent.objects.public().filter(institution=task.institution)) == [new]
    item = LedgerEntry.objects.filter(kind="results_published").last().payload["results"][0]
    assert (item["revision"], item["corrects"], item["correction_reason"]) == (
        2, 1, "复核发现仪器检定过期")


def test_a_correction_that_drops_the_rectification_withdraws_the_order(
        task, inspector_user, samr_reviewer, samr_organizer):
    first = submitted(task, inspector_user, category="problem_pending",
                      follow_up="rectification", findings="记录缺失",
                      rectification_deadline=dt.date(2023, 12, 1),
                      rectification_requirements="补齐")
    result_approve(result=first, user=samr_reviewer)
    publish(task.plan, samr_organizer)
    order = RectificationOrder.objects.get(task=task)
    first.refresh_from_db()
    correction = result_correct(result=first, user=samr_organizer, submit=True,
                                reason="经申辩核实记录齐全", category="no_problem",
                                follow_up="none", findings="")
    result_approve(result=correction, user=samr_reviewer)
    order.refresh_from_db()
    assert order.status == "withdrawn" and "经申辩核实记录齐全" in order.withdrawal_reason
    publish(task.plan, samr_organizer)
    problem = CreditEvent.objects.get(source_result=first)
    assert problem.superseded_at is not None
    assert CreditEvent.objects.get(source_result=correction).kind == "inspection_clean"
    assert not CreditEvent.objects.public().filter(institution=task.institution).exists()


def test_only_the_team_or_the_organizer_corrects(published, regulator, other_inspector_user,
                                                 institution_user):
    for user in (regulator, other_inspector_user, institution_user):
        with pytest.raises(PermissionDenied):
            result_correct(result=published, user=user, reason="改一改", findings="x",
                           category="problem_pending", follow_up="case_opened")


def test_one_correction_at_a_time_and_only_of_what_is_published(
        published, inspector_user, samr_organizer):
    correction = result_correct(result=published, user=inspector_user, reason="更正一",
                                category="no_activity")
    with pytest.raises(ValidationError):
        result_correct(result=published, user=samr_organizer, reason="更正二",
                       category="closed")
    with pytest.raises(ValidationError):
        result_correct(result=correction, user=samr_organizer, reason="更正三",
                       category="closed")


def test_reviewer_of_another_authority_is_refused_even_with_a_role(task, inspector_user, ref):
    from inspections.models import Authority

    customs = Authority.objects.get(name="海关总署")
    stranger = UserFactory(username="customs_reg", role="regulator", authority=customs,
                           is_staff=True)
    result = submitted(task, inspector_user)
    with pytest.raises(PermissionDenied):
        result_approve(result=result, user=stranger)
