"""campaign_progress: expected institutions (those with a task in the plan, in scope), their form
and pledge status around the deadline, in a constant number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import InspectionTask, SelfInspectionSubmission
from inspections.selectors import campaign_progress, progress_counts
from inspections.services.campaigns import pledge_sign, self_inspection_save
from tests.factories import InstitutionFactory

from .conftest import answers

pytestmark = pytest.mark.django_db


def by_name(rows):
    return {row.institution.name: row for row in rows}


def test_it_lists_only_institutions_with_a_task_in_scope(
        campaign, task, other_task, regulator, outsider_regulator, admin_user):
    InstitutionFactory(name="没有任务的机构")
    assert list(by_name(campaign_progress(campaign=campaign, user=regulator))) == [
        task.institution.name]
    assert list(by_name(campaign_progress(campaign=campaign, user=outsider_regulator))) == [
        other_task.institution.name]
    assert len(campaign_progress(campaign=campaign, user=admin_user)) == 2


def test_it_shows_missing_draft_and_submitted(campaign, task, other_task, admin_user,
                                              institution_user, other_institution_user):
    campaign.due = timezone.localdate() + dt.timedelta(days=3)
    campaign.save()
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    rows = by_name(campaign_progress(campaign=campaign, user=admin_user))
    assert rows[task.institution.name].status == "submitted"
    assert rows[other_task.institution.name].status == "missing"
    assert rows[other_task.institution.name].days_left == 3
    self_inspection_save(campaign=campaign, institution=other_task.institution,
                         user=other_institution_user, answers=answers(campaign, ""), submit=False)
    rows = by_name(campaign_progress(campaign=campaign, user=admin_user))
    assert rows[other_task.institution.name].status == "draft"


def test_it_flags_late_and_overdue_after_the_deadline(campaign, task, other_task, admin_user,
                                                      institution_user):
    campaign.due = timezone.localdate() - dt.timedelta(days=2)
    campaign.save()
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    pledge_sign(campaign=campaign, institution=task.institution, user=institution_user,
                signatory_name="王", signatory_title="主任")
    rows = by_name(campaign_progress(campaign=campaign, user=admin_user))
    late, missing = rows[task.institution.name], rows[other_task.institution.name]
    assert (late.status, late.pledge, late.is_overdue) == ("late", "late", False)
    assert (missing.status, missing.pledge, missing.is_overdue) == ("missing", "missing", True)
    assert missing.days_left == -2


def test_it_counts_on_time_before_the_deadline_with_today(campaign, task, admin_user,
                                                          institution_user):
    self_inspection_save(campaign=campaign, institution=task.institution, user=institution_user,
                         answers=answers(campaign), submit=True)
    SelfInspectionSubmission.objects.update(
        submitted_at=dt.datetime(2023, 10, 20, 2, 0, tzinfo=dt.UTC))
    rows = campaign_progress(campaign=campaign, user=admin_user, today=dt.date(2023, 10, 25))
    assert rows[0].status == "submitted" and rows[0].days_left == 2
    assert progress_counts(rows) == {"expected": 1, "missing": 0, "draft": 0,
                                     "submitted": 1, "late": 0, "pledged": 0,
                                     "not_submitted": 0}


def test_it_leaves_out_replaced_tasks(campaign, task, admin_user):
    InspectionTask.objects.filter(pk=task.pk).update(status="replaced")
    assert campaign_progress(campaign=campaign, user=admin_user) == []


def test_it_sees_nothing_for_an_institution_user_of_another_institution(
        campaign, task, other_institution_user):
    assert campaign_progress(campaign=campaign, user=other_institution_user) == []


def test_it_uses_a_constant_number_of_queries(campaign, plan, draw, admin_user,
                                              django_assert_max_num_queries):
    for n in range(15):
        inst = InstitutionFactory(name=f"机构{n}")
        InspectionTask.objects.create(plan=plan, institution=inst, draw=draw, stratum="07",
                                      deadline=dt.date(2023, 11, 20))
    with django_assert_max_num_queries(3):
        rows = campaign_progress(campaign=campaign, user=admin_user)
    assert len(rows) == 15


def test_a_missing_form_turns_red_only_after_the_deadline(campaign, task, admin_user):
    before = campaign_progress(campaign=campaign, user=admin_user, today=dt.date(2023, 10, 27))
    after = campaign_progress(campaign=campaign, user=admin_user, today=dt.date(2023, 10, 28))
    assert (before[0].status_badge, before[0].is_overdue) == ("", False)
    assert (after[0].status_badge, after[0].is_overdue) == ("bad", True)
