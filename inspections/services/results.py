"""Inspection results, their publication, and rectification orders.

Sources: seed 002 §五(三) (results published, 一公开; problems lead to rectification or a case;
inspection information goes into the credit file under the institution's name); DOMAIN.md
"The yearly cycle". Result categories: :class:`inspections.models.ResultCategory`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.scoping import region_prefix_for
from credit.models import CreditEventKind
from credit.services import credit_event_record

from ..models import (
    FollowUpMeasure,
    InspectionResult,
    InspectionTask,
    RectificationOrder,
    RectificationStatus,
    ResultCategory,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)

_FOLLOW_UPS_NEEDING_A_PROBLEM = {FollowUpMeasure.RECTIFICATION, FollowUpMeasure.CASE_OPENED}


def _result_errors(*, category, follow_up, findings, checked_on, rectification_deadline,
                   rectification_requirements) -> dict:
    errors: dict = {}
    problem = category in ResultCategory.problem_found()
    if category not in ResultCategory.values:
        errors["category"] = _("Choose one of the standard result categories.")
    if follow_up not in FollowUpMeasure.values:
        errors["follow_up"] = _("Choose a follow-up measure.")
    elif problem and follow_up == FollowUpMeasure.NONE:
        errors["follow_up"] = _("A problem was found: choose a follow-up measure.")
    elif not problem and follow_up in _FOLLOW_UPS_NEEDING_A_PROBLEM:
        errors["follow_up"] = _("Rectification or a case needs a result with a problem found.")
    if problem and not (findings or "").strip():
        errors["findings"] = _("Describe the problems found.")
    if not isinstance(checked_on, dt.date):
        errors["checked_on"] = _("Enter the date of the check.")
    elif checked_on > timezone.localdate():
        errors["checked_on"] = _("The check date cannot lie in the future.")
    if follow_up == FollowUpMeasure.RECTIFICATION:
        if not isinstance(rectification_deadline, dt.date):
            errors["rectification_deadline"] = _("Set a deadline for the rectification.")
        elif isinstance(checked_on, dt.date) and rectification_deadline <= checked_on:
            errors["rectification_deadline"] = _("The deadline must follow the check date.")
        if not (rectification_requirements or "").strip():
            errors["rectification_requirements"] = _("State what must be rectified.")
    return errors


def _credit_kind(category: str, follow_up: str) -> tuple[str, bool] | None:
    """(credit event kind, is public) for a result, or ``None`` when nothing is recorded."""
    if category == ResultCategory.NON_COOPERATION:
        return CreditEventKind.NON_COOPERATION, True
    if category in ResultCategory.problem_found():
        kind = {FollowUpMeasure.RECTIFICATION: CreditEventKind.RECTIFICATION_ORDERED,
                FollowUpMeasure.CASE_OPENED: CreditEventKind.CASE_OPENED}.get(
                    follow_up, CreditEventKind.INSPECTION_PROBLEM)
        return kind, True
    if category == ResultCategory.NO_PROBLEM:
        return CreditEventKind.INSPECTION_CLEAN, False
    return None


@transaction.atomic
def result_record(*, task: InspectionTask, category: str, follow_up: str, findings: str,
                  checked_on: dt.date, user, rectification_deadline: dt.date | None = None,
                  rectification_requirements: str = "") -> InspectionResult:
    """Record the result of ``task``; returns the :class:`InspectionResult`.

    Only an inspector actively assigned to the task, or a platform admin, records it; one result
    per task; the task becomes ``result_recorded``. A category in
    ``ResultCategory.problem_found()`` needs findings and a follow-up measure other than none;
    follow-up ``rectification`` needs ``rectification_deadline`` (after ``checked_on``) and
    ``rectification_requirements`` and opens a :class:`RectificationOrder`. A credit event is
    written through ``credit.services.credit_event_record``: non-cooperation →
    ``non_cooperation``; other problems → ``rectification_ordered`` / ``case_opened`` /
    ``inspection_problem`` by follow-up (public); no problem → ``inspection_clean`` (not public);
    no activity, closed, deregistered → none. Source: seed 002 §五(三).

    Raises ``PermissionDenied`` for anyone else; ``ValidationError`` naming ``task`` (replaced or
    already recorded), ``category``, ``follow_up``, ``findings``, ``checked_on``,
    ``rectification_deadline`` or ``rectification_requirements``.
    """
    task = (InspectionTask.objects.select_for_update(of=("self",))
            .select_related("plan", "institution").get(pk=task.pk))
    allowed = user is not None and user.is_authenticated and user.is_active and (
        user.is_platform_admin or TaskAssignment.objects.filter(
            task=task, active=True, inspector__user=user).exists())
    if not allowed:
        raise PermissionDenied(_("Only an inspector of this task's team may record its result."))
    if task.status == TaskStatus.REPLACED:
        raise ValidationError({"task": _("This task was replaced by a supplementary draw.")})
    if InspectionResult.objects.filter(task=task).exists():
        raise ValidationError({"task": _("A result has already been recorded for this task.")})
    errors = _result_errors(
        category=category, follow_up=follow_up, findings=findings, checked_on=checked_on,
        rectification_deadline=rectification_deadline,
        rectification_requirements=rectification_requirements)
    if errors:
        raise ValidationError(errors)

    result = InspectionResult.objects.create(
        task=task, category=category, follow_up=follow_up, findings=(findings or "").strip(),
        checked_on=checked_on, recorded_by=user)
    task.status = TaskStatus.RESULT_RECORDED
    task.save(update_fields=["status"])
    if follow_up == FollowUpMeasure.RECTIFICATION:
        RectificationOrder.objects.create(
            task=task, institution=task.institution, deadline=rectification_deadline,
            requirements=rectification_requirements.strip())
    credit = _credit_kind(category, follow_up)
    if credit is not None:
        kind, is_public = credit
        with translation.override(settings.LANGUAGE_CODE):  # the credit file's language
            description = _("%(plan)s: %(result)s. %(findings)s") % {
                "plan": task.plan.title, "result": result.get_category_display(),
                "findings": result.findings}
        credit_event_record(institution=task.institution, kind=kind, occurred_on=checked_on,
                            description=description.strip(), source_task=task,
                            is_public=is_public, user=user)
    return result


@transaction.atomic
def results_publish(*, plan: SpotCheckPlan, user) -> int:
    """Publish (一公开) the recorded, unpublished results of ``plan`` within ``user``'s scope.

    Only an admin or a regulator who sees the plan; a regulator publishes the results of tasks on
    institutions in his region. Returns the number of results newly published (history kept).
    Source: seed 002 §五(三). Raises ``PermissionDenied`` for anyone else.
    """
    if region_prefix_for(user) is None or not SpotCheckPlan.objects.for_user(user).filter(
            pk=plan.pk).exists():
        raise PermissionDenied(_("Only a regulator responsible for this plan may publish."))
    results = list(InspectionResult.objects.select_for_update().filter(
        task__in=InspectionTask.objects.for_user(user).filter(plan=plan), published=False))
    for result in results:
        result.published = True
    bulk_update_with_history(results, InspectionResult, ["published"], default_user=user)
    return len(results)


@transaction.atomic
def rectification_respond(*, order: RectificationOrder, response: str,
                          user) -> RectificationOrder:
    """The institution answers a rectification order; the order becomes ``responded``.

    Only an institution user of the order's institution; the response may be revised until the
    regulator accepts it. Raises ``PermissionDenied``; ``ValidationError`` naming ``response``
    (blank) or ``status`` (already accepted). Source: seed 002 §五(三).
    """
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if not (user is not None and user.is_authenticated and user.is_active
            and user.is_institution_user and user.institution_id == order.institution_id):
        raise PermissionDenied(_("Only a user of this institution may answer the order."))
    if order.status == RectificationStatus.ACCEPTED:
        raise ValidationError({"status": _("This order has been accepted and is closed.")})
    if not (response or "").strip():
        raise ValidationError({"response": _("Describe the rectification carried out.")})
    order.response = response.strip()
    order.responded_at = timezone.now()
    order.status = RectificationStatus.RESPONDED
    order.save(update_fields=["response", "responded_at", "status"])
    return order


@transaction.atomic
def rectification_accept(*, order: RectificationOrder, user) -> RectificationOrder:
    """A regulator accepts the institution's response: ``accepted``, ``closed_at`` = now.

    Only an admin or a regulator whose region holds the order's institution; nothing else is
    written (no credit event). Raises ``PermissionDenied``; ``ValidationError`` naming ``status``
    unless the order has been responded to. Source: seed 002 §五(三).
    """
    if region_prefix_for(user) is None or not RectificationOrder.objects.for_user(user).filter(
            pk=order.pk).exists():
        raise PermissionDenied(_("Only a regulator responsible for this institution may accept."))
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != RectificationStatus.RESPONDED:
        raise ValidationError({"status": _("Only an order the institution has answered can be "
                                           "accepted.")})
    order.status = RectificationStatus.ACCEPTED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    return order
