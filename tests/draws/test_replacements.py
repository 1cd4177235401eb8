"""Replacements: a reason from the list with its evidence, requested by one regulator of the
organizing authority and approved by another; never for an inspected task; a replacement of a
replacement says so; request and decision are in the public ledger and on the public page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.models import DrawKind, InspectionTask, LedgerEntry, TaskAssignment
from inspections.services.replacements import replacement_decide, replacement_request_create

from ..cycle import commit_and_run, record, replace_institution, run, sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(provincial_plan, gd_organizer):
    commit_and_run(provincial_plan, gd_organizer)
    return InspectionTask.objects.filter(plan=provincial_plan, stratum="03").first()


def leader_account(task):
    """An account for ``task``'s team leader."""
    from accounts.models import Role
    from inspections.models import Inspector

    from ..factories import UserFactory

    leader = task.assignments.get(is_leader=True).inspector
    user = UserFactory(username="leader", role=Role.INSPECTOR, authority=leader.authority)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    return user


def ask(task, user, **kw):
    values = {"kind": "institution", "reason": "closed", "evidence": "停业告知函 2026-05-01"}
    return replacement_request_create(task=task, user=user, **{**values, **kw})


def test_the_requester_cannot_approve_his_own_request(drawn, gd_organizer, gd_approver):
    request = ask(drawn, gd_organizer)
    with pytest.raises(PermissionDenied):
        replacement_decide(request=request, approve=True, user=gd_organizer, sources=sources())
    request.refresh_from_db()
    assert request.state == "pending" and request.draw is None
    request = replacement_decide(request=request, approve=True, user=gd_approver,
                                 sources=sources())
    assert request.state == "approved" and request.draw.kind == DrawKind.SUPPLEMENTARY_INSTITUTION
    kinds = list(LedgerEntry.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds[-3:] == ["replacement_requested", "draw_committed", "replacement_decided"]


def test_only_regulators_of_the_organizing_authority_request_or_decide(
        drawn, gd_organizer, regulator, outsider_regulator, admin_user):
    for user in (outsider_regulator, admin_user):
        with pytest.raises(PermissionDenied):
            ask(drawn, user)
    request = ask(drawn, gd_organizer)
    for user in (outsider_regulator, admin_user):
        with pytest.raises(PermissionDenied):
            replacement_decide(request=request, approve=False, user=user, note="否")


def test_reason_must_be_from_the_list_for_its_kind_and_evidence_stated(drawn, gd_organizer):
    member = TaskAssignment.objects.filter(task=drawn).first()
    for kw, field in (({"reason": "recusal_after_draw"}, "reason"),
                      ({"reason": "whim"}, "reason"), ({"evidence": ""}, "evidence"),
                      ({"kind": "inspector", "assignment": member, "reason": "closed"},
                       "reason")):
        with pytest.raises(ValidationError) as exc:
            ask(drawn, gd_organizer, **kw)
        assert field in exc.value.message_dict, kw


def test_an_inspected_task_is_never_replaced(drawn, gd_organizer, gd_approver):
    record(drawn, leader_account(drawn))
    with pytest.raises(ValidationError) as exc:
        ask(drawn, gd_organizer)
    assert "task" in exc.value.message_dict
    member = TaskAssignment.objects.filter(task=drawn).first()
    with pytest.raises(ValidationError):
        ask(drawn, gd_organizer, kind="inspector", assignment=member,
            reason="recusal_after_draw")


def test_a_result_cannot_be_recorded_while_a_replacement_is_under_way(drawn, gd_organizer):
    user = leader_account(drawn)
    ask(drawn, gd_organizer)
    with pytest.raises(ValidationError) as exc:
        record(drawn, user)
    assert "task" in exc.value.message_dict


def test_a_rejection_needs_its_reason(drawn, gd_organizer, gd_approver):
    request = ask(drawn, gd_organizer)
    with pytest.raises(ValidationError) as exc:
        replacement_decide(request=request, approve=False, user=gd_approver)
    assert "decision_note" in exc.value.message_dict
    request = replacement_decide(request=request, approve=False, user=gd_approver,
                                 note="停业告知函不属实")
    assert request.state == "rejected" and request.draw is None
    with pytest.raises(ValidationError):
        replacement_decide(request=request, approve=True, user=gd_approver, sources=sources())


def test_a_replacement_of_a_replacement_says_so_and_needs_the_same_approval(
        drawn, gd_organizer, gd_approver, client):
    supp = replace_institution(drawn, gd_organizer, gd_approver)
    new_task = InspectionTask.objects.get(draw=supp)
    second = ask(new_task, gd_organizer, reason="moved_out", evidence="迁出证明 2026-06-01")
    assert second.replaces_replacement
    with pytest.raises(PermissionDenied):
        replacement_decide(request=second, approve=True, user=gd_organizer, sources=sources())
    second = replacement_decide(request=second, approve=True, user=gd_approver,
                                sources=sources())
    run(second.draw, gd_approver)
    page = client.get(f"/inspections/public/plans/{drawn.plan_id}/").content.decode()
    assert page.count('id="replacement-chain"') == 1
    assert "迁出证明 2026-06-01" in page and "停业告知函 2026-05-01" not in page  # evidence of
    # the first request, made with the default reason, is the deregistration notice:
    assert "注销公告 2026年第12号" in page
    assert second.requested_by.username in page and gd_approver.username in page
    record = client.get(f"/api/public/draws/{second.draw_id}/").json()["replacement"]
    assert record["replaces_replacement"] and record["reason"] == "moved_out"
    assert record["requested_by"] != record["decided_by"]
