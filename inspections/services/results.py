"""Recording results: the team records a task's result, edits it until it is submitted for
review, and anyone entitled starts a correction of a published result.

The review, the publication and what follows from them (rectification orders, the credit
effect, the public ledger) are in ``inspections.services.review``. States and rules:
``inspections.models.results``. Sources: seed 002 §五(三) (results published; problems lead to
rectification or a case); DOMAIN.md "Records with legal effect".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts

from ..models import (
    FollowUpMeasure,
    InspectionResult,
    InspectionTask,
    ResultCategory,
    ResultState,
    TaskAssignment,
    TaskStatus,
)
from ..models.results import EDITABLE_STATES
from .plans import plan_can_manage
from .replacements import replacement_under_way

_FOLLOW_UPS_NEEDING_A_PROBLEM = {FollowUpMeasure.RECTIFICATION, FollowUpMeasure.CASE_OPENED}
CONTENT = ("category", "follow_up", "findings", "checked_on", "rectification_deadline",
           "rectification_requirements")


def result_errors(*, category, follow_up, findings, checked_on, rectification_deadline,
                  rectification_requirements, today: dt.date | None = None) -> dict:
    """Field-named problems of a result's content (empty when it is consistent): the category
    is a standard one; a problem needs findings and a follow-up; rectification needs a deadline
    after the check and its requirements; the check date is not in the future."""
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
    elif checked_on > (today or clock.today()):
        errors["checked_on"] = _("The check date cannot lie in the future.")
    if follow_up == FollowUpMeasure.RECTIFICATION:
        if not isinstance(rectification_deadline, dt.date):
            errors["rectification_deadline"] = _("Set a deadline for the rectification.")
        elif isinstance(checked_on, dt.date) and rectification_deadline <= checked_on:
            errors["rectification_deadline"] = _("The deadline must follow the check date.")
        if not (rectification_requirements or "").strip():
            errors["rectification_requirements"] = _("State what must be rectified.")
    return errors


def _content(category, follow_up, findings, checked_on, rectification_deadline,
             rectification_requirements) -> dict:
    rectify = follow_up == FollowUpMeasure.RECTIFICATION
    return {"category": category, "follow_up": follow_up, "findings": (findings or "").strip(),
            "checked_on": checked_on,
            "rectification_deadline": rectification_deadline if rectify else None,
            "rectification_requirements": (rectification_requirements or "").strip()
            if rectify else ""}


def is_team_member(user, task: InspectionTask) -> bool:
    """Whether ``user`` is an active inspector on ``task``'s team."""
    return (user is not None and user.is_authenticated and user.is_active and user.is_inspector
            and TaskAssignment.objects.filter(task=task, active=True,
                                              inspector__user=user).exists())


def may_author(user, result: InspectionResult) -> bool:
    """Who writes a revision: the team for the first; the team or a regulator of the
    organizing authority for a correction."""
    if is_team_member(user, result.task):
        return True
    return result.corrects_id is not None and plan_can_manage(user, result.task.plan)


def _validated(values: dict, today: dt.date | None = None) -> dict:
    errors = result_errors(**values, today=today)
    if errors:
        raise ValidationError(errors)
    return _content(**values)


@acts
@transaction.atomic
def result_record(*, task: InspectionTask, category: str, follow_up: str, findings: str,
                  checked_on: dt.date, user, rectification_deadline: dt.date | None = None,
                  rectification_requirements: str = "", submit: bool = False,
                  now: dt.datetime | None = None) -> InspectionResult:
    """Record the first result of ``task`` (revision 1, ``recorded``, or ``submitted`` for
    review when ``submit``); the task becomes ``result_recorded``.

    Only an active inspector of the task's team records it. Content rules:
    :func:`result_errors`. Nothing takes effect before review and publication
    (``inspections.services.review``). Raises ``PermissionDenied``; ``ValidationError`` naming
    ``task`` (replaced, a replacement under way, or a result already recorded), ``category``,
    ``follow_up``, ``findings``, ``checked_on``, ``rectification_deadline`` or
    ``rectification_requirements``. Source: seed 002 §五(三).
    """
    at = now or clock.now()
    task = (InspectionTask.objects.select_for_update(of=("self",))
            .select_related("plan", "institution").get(pk=task.pk))
    if not is_team_member(user, task):
        raise PermissionDenied(_("Only an inspector of this task's team may record its result."))
    if task.status == TaskStatus.REPLACED:
        raise ValidationError({"task": _("This task was replaced by a supplementary draw.")})
    if replacement_under_way(task):
        raise ValidationError({"task": _("A replacement of this task is under way; its result "
                                         "is recorded once it is decided.")})
    if InspectionResult.objects.filter(task=task).exists():
        raise ValidationError({"task": _("A result has already been recorded for this task.")})
    content = _validated({"category": category, "follow_up": follow_up, "findings": findings,
                          "checked_on": checked_on,
                          "rectification_deadline": rectification_deadline,
                          "rectification_requirements": rectification_requirements},
                         today=timezone.localtime(at).date())
    result = InspectionResult.objects.create(
        task=task, revision=1, recorded_by=user, recorded_at=at,
        state=ResultState.SUBMITTED if submit else ResultState.RECORDED,
        submitted_at=at if submit else None, **content)
    task.status = TaskStatus.RESULT_RECORDED
    task.save(update_fields=["status"])
    return result


@acts
@transaction.atomic
def result_update(*, result: InspectionResult, user, submit: bool = False,
                  now: dt.datetime | None = None, **values) -> InspectionResult:
    """Change a revision that is still ``recorded`` or ``returned`` (never one under review,
    approved or published); ``submit`` sends it for review. ``values``: the six content fields
    of :func:`result_record`. The author (``recorded_by``) becomes ``user``.

    Raises ``PermissionDenied`` (not an author, :func:`may_author`) or ``ValidationError``
    naming ``state`` or a content field.
    """
    at = now or clock.now()
    result = (InspectionResult.objects.select_for_update(of=("self",))
              .select_related("task__plan").get(pk=result.pk))
    if not may_author(user, result):
        raise PermissionDenied(_("You may not change this result."))
    if result.state not in EDITABLE_STATES:
        raise ValidationError({"state": _("Only a recorded or returned result can be changed; "
                                          "a published one is corrected by a new revision.")})
    content = _validated({k: values.get(k, getattr(result, k)) for k in CONTENT},
                         today=timezone.localtime(at).date())
    for key, value in content.items():
        setattr(result, key, value)
    result.recorded_by = user
    result.reviewed_by = None
    result.reviewed_at = None
    result.state = ResultState.SUBMITTED if submit else ResultState.RECORDED
    result.submitted_at = at if submit else None
    result.save()
    return result


@acts
@transaction.atomic
def result_submit(*, result: InspectionResult, user,
                  now: dt.datetime | None = None) -> InspectionResult:
    """Send a ``recorded`` or ``returned`` revision for review (待审核).

    Raises ``PermissionDenied`` (not an author) or ``ValidationError`` naming ``state``.
    """
    result = (InspectionResult.objects.select_for_update(of=("self",))
              .select_related("task__plan").get(pk=result.pk))
    if not may_author(user, result):
        raise PermissionDenied(_("You may not submit this result."))
    if result.state not in EDITABLE_STATES:
        raise ValidationError({"state": _("This result is not waiting to be submitted.")})
    result.state = ResultState.SUBMITTED
    result.submitted_at = now or clock.now()
    result.save(update_fields=["state", "submitted_at"])
    return result


@acts
@transaction.atomic
def result_correct(*, result: InspectionResult, reason: str, user, submit: bool = False,
                   now: dt.datetime | None = None, **values) -> InspectionResult:
    """Start a correction (更正) of a published revision: a new revision with ``reason``,
    ``corrects`` = ``result``, ``recorded`` (or ``submitted`` when ``submit``). The published
    revision stays public and in force until the correction is approved and published.

    ``values``: the content fields (missing ones are taken from ``result``). Only the task's
    team or a regulator of the organizing authority corrects. Raises ``PermissionDenied`` or
    ``ValidationError`` naming ``result`` (not published, or a revision already open),
    ``correction_reason`` or a content field.
    """
    at = now or clock.now()
    result = (InspectionResult.objects.select_for_update(of=("self",))
              .select_related("task__plan").get(pk=result.pk))
    task = result.task
    if not (is_team_member(user, task) or plan_can_manage(user, task.plan)):
        raise PermissionDenied(_("Only the task's team or the organizing authority corrects a "
                                 "result."))
    if result.state != ResultState.PUBLISHED:
        raise ValidationError({"result": _("Only the published result is corrected.")})
    if InspectionResult.objects.open().filter(task=task).exists():
        raise ValidationError({"result": _("A revision of this result is already being worked "
                                           "on.")})
    if len((reason or "").strip()) < 2:
        raise ValidationError({"correction_reason": _("Give the reason for the correction.")})
    content = _validated({k: values.get(k, getattr(result, k)) for k in CONTENT},
                         today=timezone.localtime(at).date())
    if all(content[k] == getattr(result, k) for k in CONTENT):
        raise ValidationError({"category": _("The correction changes nothing.")})
    return InspectionResult.objects.create(
        task=task, revision=result.revision + 1, corrects=result,
        correction_reason=reason.strip(), recorded_by=user, recorded_at=at,
        state=ResultState.SUBMITTED if submit else ResultState.RECORDED,
        submitted_at=at if submit else None, **content)
