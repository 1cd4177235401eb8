"""self_inspection_save: drafts, submission rules, read-only after submit, who may save
(seed 002 §四)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.models import PlanStatus, SpotCheckPlan
from inspections.selectors import is_late
from inspections.services.campaigns import self_inspection_save

from .conftest import answers

pytestmark = pytest.mark.django_db


def save(campaign, institution, user, submit, given):
    return self_inspection_save(campaign=campaign, institution=institution, answers=given,
                                user=user, submit=submit)


def test_it_saves_a_partial_draft(campaign, institution, institution_user):
    given = answers(campaign, answer="")
    given[0] = {"answer": "yes", "remark": ""}
    sub = save(campaign, institution, institution_user, False, given)
    assert sub.status == "draft" and sub.submitted_at is None
    assert sub.answers[0]["answer"] == "yes" and sub.answers[1]["answer"] == ""
    assert sub.updated_by == institution_user


def test_it_updates_the_same_draft(campaign, institution, institution_user):
    first = save(campaign, institution, institution_user, False, answers(campaign, answer=""))
    second = save(campaign, institution, institution_user, False, answers(campaign, "na"))
    assert first.pk == second.pk and second.answers[0]["answer"] == "na"


def test_it_submits_a_complete_form(campaign, institution, institution_user):
    sub = save(campaign, institution, institution_user, True, answers(campaign))
    assert sub.status == "submitted" and sub.submitted_at is not None


def test_it_requires_every_answer_to_submit(campaign, institution, institution_user):
    given = answers(campaign)
    given[2] = {"answer": "", "remark": ""}
    with pytest.raises(ValidationError) as exc:
        save(campaign, institution, institution_user, True, given)
    assert "answers" in exc.value.message_dict


def test_it_requires_a_remark_for_a_no(campaign, institution, institution_user):
    given = answers(campaign)
    given[1] = {"answer": "no", "remark": "  "}
    with pytest.raises(ValidationError) as exc:
        save(campaign, institution, institution_user, True, given)
    assert "answers" in exc.value.message_dict


def test_it_accepts_a_no_with_a_remark(campaign, institution, institution_user):
    given = answers(campaign)
    given[1] = {"answer": "no", "remark": "设备校准过期，已送检"}
    assert save(campaign, institution, institution_user, True, given).status == "submitted"


def test_it_rejects_an_unknown_answer(campaign, institution, institution_user):
    with pytest.raises(ValidationError) as exc:
        save(campaign, institution, institution_user, False, answers(campaign, "maybe"))
    assert "answers" in exc.value.message_dict


def test_it_rejects_a_wrong_number_of_answers(campaign, institution, institution_user):
    with pytest.raises(ValidationError) as exc:
        save(campaign, institution, institution_user, False, answers(campaign)[:3])
    assert "answers" in exc.value.message_dict


def test_it_makes_a_submitted_form_read_only(campaign, institution, institution_user):
    save(campaign, institution, institution_user, True, answers(campaign))
    with pytest.raises(ValidationError) as exc:
        save(campaign, institution, institution_user, False, answers(campaign, "na"))
    assert "status" in exc.value.message_dict


def test_it_rejects_a_user_of_another_institution(campaign, institution, other_institution_user):
    with pytest.raises(PermissionDenied):
        save(campaign, institution, other_institution_user, False, answers(campaign))


def test_it_rejects_a_regulator(campaign, institution, regulator):
    with pytest.raises(PermissionDenied):
        save(campaign, institution, regulator, False, answers(campaign))


def test_it_rejects_a_campaign_of_a_draft_plan(campaign, institution, institution_user):
    SpotCheckPlan.objects.filter(pk=campaign.plan_id).update(status=PlanStatus.DRAFT)
    campaign.refresh_from_db()
    with pytest.raises(PermissionDenied):
        save(campaign, institution, institution_user, False, answers(campaign))


def test_it_accepts_a_submission_after_the_due_date_and_flags_it_late(
        campaign, institution, institution_user):
    campaign.due = timezone.localdate() - dt.timedelta(days=1)
    campaign.save()
    sub = save(campaign, institution, institution_user, True, answers(campaign))
    assert sub.status == "submitted"
    assert is_late(campaign=campaign, at=sub.submitted_at)


def test_late_means_after_the_end_of_the_due_day_in_shanghai(campaign):
    assert campaign.due == dt.date(2023, 10, 27)
    utc = dt.UTC
    # 23:59 on the 27th in Shanghai is 15:59 UTC; 00:00:30 on the 28th is 16:00:30 UTC.
    assert not is_late(campaign=campaign, at=dt.datetime(2023, 10, 27, 15, 59, tzinfo=utc))
    assert is_late(campaign=campaign, at=dt.datetime(2023, 10, 27, 16, 0, 30, tzinfo=utc))
