"""Review and publication of results: another person approves, the organizer publishes.

* :func:`result_return` / :func:`result_approve` — a regulator of the organizing authority who
  did not write the revision returns it with a reason, or approves it. Approval puts the result
  in force: a rectification order it asks for is issued, and a correction withdraws the open
  orders the corrected result had issued and no longer asks for.
* :func:`results_publish_preview` / :func:`results_publish` — the organizer sees the approved
  revisions about to be published, then publishes exactly those (一公开): each becomes the
  task's public result, a correction supersedes the revision it corrects, the public ledger
  records them, and ``inspections.signals.result_published`` lets the credit app write the
  credit effect and supersede the old one.

Sources: seed 002 §五(三) (results published; inspection information into the credit file);
DOMAIN.md "Records with legal effect" (recorded by one person, reviewed by another, then
published; a correction is a new, visible revision with its reason; credit follows it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts

from ..models import (
    FollowUpMeasure,
    InspectionResult,
    LedgerKind,
    RectificationOrder,
    RectificationStatus,
    ResultState,
    SpotCheckPlan,
)
from ..notifications import rectification_ordered_notify
from ..signals import result_published
from .ledger import ledger_append, ledger_time, person
from .plans import plan_can_manage, require_manager
from .results import CONTENT, result_errors


def result_can_review(user, result: InspectionResult) -> bool:
    """Whether ``user`` may review ``result``: a regulator of the organizing authority who is
    not its author (``recorded_by``)."""
    return plan_can_manage(user, result.task.plan) and user.pk != result.recorded_by_id


def _locked_for_review(result: InspectionResult, user) -> InspectionResult:
    result = (InspectionResult.objects.select_for_update(of=("self",))
              .select_related("task__plan", "task__institution").get(pk=result.pk))
    if not plan_can_manage(user, result.task.plan):
        raise PermissionDenied(_("Only a regulator of the organizing authority reviews results."))
    if user.pk == result.recorded_by_id:
        raise PermissionDenied(_("A result is reviewed by another person than the one who "
                                 "recorded it."))
    if result.state != ResultState.SUBMITTED:
        raise ValidationError({"state": _("This result is not waiting for review.")})
    return result


@acts
@transaction.atomic
def result_return(*, result: InspectionResult, user, note: str,
                  now: dt.datetime | None = None) -> InspectionResult:
    """Return a revision under review to its authors with ``note`` (退回); they change and
    resubmit it. Raises ``PermissionDenied`` (see :func:`result_can_review`) or
    ``ValidationError`` naming ``state`` or ``review_note``."""
    result = _locked_for_review(result, user)
    if len((note or "").strip()) < 2:
        raise ValidationError({"review_note": _("Say what must be corrected.")})
    result.state = ResultState.RETURNED
    result.reviewed_by = user
    result.reviewed_at = now or clock.now()
    result.review_note = note.strip()
    result.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return result


@acts
@transaction.atomic
def result_approve(*, result: InspectionResult, user, note: str = "",
                   now: dt.datetime | None = None) -> InspectionResult:
    """Approve a revision under review (审核通过): it is in force from now on.

    A follow-up ``rectification`` issues the rectification order; a correction first withdraws
    the open orders of the task that earlier revisions issued (with the correction's reason).
    Raises ``PermissionDenied`` (see :func:`result_can_review`) or ``ValidationError`` naming
    ``state`` or the content field that is inconsistent.
    """
    at = now or clock.now()
    result = _locked_for_review(result, user)
    errors = result_errors(**{k: getattr(result, k) for k in CONTENT},
                           today=timezone.localtime(at).date())
    if errors:
        raise ValidationError(errors)
    result.state = ResultState.APPROVED
    result.reviewed_by = user
    result.reviewed_at = at
    result.review_note = (note or "").strip()
    result.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    if result.corrects_id is not None:
        for order in (RectificationOrder.objects.select_for_update()
                      .filter(task=result.task, status__in=[RectificationStatus.OPEN,
                                                            RectificationStatus.RESPONDED])):
            order.status = RectificationStatus.WITHDRAWN
            order.closed_at = at
            order.withdrawal_reason = _("Result corrected (revision %(n)d): %(reason)s") % {
                "n": result.revision, "reason": result.correction_reason}
            order.save(update_fields=["status", "closed_at", "withdrawal_reason"])
    if result.follow_up == FollowUpMeasure.RECTIFICATION:
        order = RectificationOrder.objects.create(
            task=result.task, result=result, institution=result.task.institution,
            deadline=result.rectification_deadline,
            requirements=result.rectification_requirements, issued_at=at)
        rectification_ordered_notify(order, at=at)
    return result


def results_publish_preview(*, plan: SpotCheckPlan, user):
    """The approved revisions of ``plan`` that publishing would make public, in task order,
    with task, institution and the corrected revision loaded. Only the organizer sees it;
    raises ``PermissionDenied`` for anyone else."""
    require_manager(user, plan)
    return (InspectionResult.objects.filter(task__plan=plan, state=ResultState.APPROVED)
            .select_related("task__institution", "corrects", "recorded_by", "reviewed_by")
            .order_by("task__stratum", "task_id"))


def findings_digest(findings: str) -> str:
    """SHA-256 (hex) of a revision's findings text, UTF-8: the ledger binds the findings
    without printing them."""
    return hashlib.sha256((findings or "").encode("utf-8")).hexdigest()


def result_public_fields(result: InspectionResult) -> dict:
    """What the public record and the ledger say of a published revision (strings and
    integers only)."""
    return {"task": result.task_id, "institution": result.task.institution.uscc,
            "revision": result.revision,
            "corrects": result.corrects.revision if result.corrects_id else None,
            "correction_reason": result.correction_reason, "category": result.category,
            "follow_up": result.follow_up, "checked_on": result.checked_on.isoformat(),
            "findings_digest": findings_digest(result.findings)}


@acts
@transaction.atomic
def results_publish(*, plan: SpotCheckPlan, user, result_ids: list[int],
                    now: dt.datetime | None = None) -> int:
    """Publish the approved revisions ``result_ids`` of ``plan`` — exactly the list the
    organizer was shown (:func:`results_publish_preview`); return how many were published.

    Each becomes ``published``; a correction sets the revision it corrects to ``superseded``.
    One ``results_published`` ledger entry lists them all (task, institution, revision, the
    revision corrected and why, category, follow-up, check date, findings digest), then
    ``result_published`` is sent per revision (credit). Raises ``PermissionDenied`` (not the
    organizer) or ``ValidationError`` naming ``results`` when the list is empty or no longer
    what is approved (someone approved or changed one meanwhile: look again).
    """
    require_manager(user, plan)
    at = now or clock.now()
    approved = list(InspectionResult.objects.select_for_update(of=("self",))
                    .filter(task__plan=plan, state=ResultState.APPROVED)
                    .select_related("task__institution", "corrects")
                    .order_by("task__stratum", "task_id"))
    if not approved:
        raise ValidationError({"results": _("There is no approved result to publish.")})
    if {r.pk for r in approved} != {int(i) for i in result_ids}:
        raise ValidationError({"results": _("The list of approved results changed since you "
                                            "looked at it; look at it again before publishing.")})
    for result in approved:
        if result.corrects_id is not None:
            old = InspectionResult.objects.select_for_update().get(pk=result.corrects_id)
            old.state = ResultState.SUPERSEDED
            old.superseded_at = at
            old.save(update_fields=["state", "superseded_at"])
            result.corrects = old
        result.state = ResultState.PUBLISHED
        result.published_by = user
        result.published_at = at
        result.save(update_fields=["state", "published_by", "published_at"])
    ledger_append(kind=LedgerKind.RESULTS_PUBLISHED, plan=plan, at=at, payload={
        "plan": plan.pk, "published_by": person(user), "published_at": ledger_time(at),
        "results": [result_public_fields(r) for r in approved]})
    for result in approved:
        result_published.send(sender=InspectionResult, result=result,
                              superseded=result.corrects, user=user)
    return len(approved)
