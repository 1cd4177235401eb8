"""Self-inspection forms and integrity pledges, filled online by institutions.

Source: seed 002 §四: every national-level institution completes the self-inspection form
(attachment 1: the six focus items) and signs the integrity pledge (attachment 2) by 2023-10-27.
Late submissions are accepted and flagged (DOMAIN.md "Cycle and deadlines").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts

from ..models import (
    IntegrityPledge,
    PlanStatus,
    SelfInspectionAnswer,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
)


def _check_institution_user(*, campaign: SelfInspectionCampaign, institution, user) -> None:
    """Only an institution user of ``institution`` acts for it, on a campaign open to it."""
    if not (user is not None and user.is_authenticated and user.is_active
            and user.is_institution_user and user.institution_id == institution.pk):
        raise PermissionDenied(_("Only a user of this institution may do this."))
    if campaign.plan_id is not None and campaign.plan.status == PlanStatus.DRAFT:
        raise PermissionDenied(_("This campaign is not open yet."))


def _answers_clean(*, campaign: SelfInspectionCampaign, answers: list[dict],
                   submit: bool) -> list[dict]:
    """Normalise ``answers`` to one ``{"answer", "remark"}`` per focus item or raise."""
    n = len(campaign.focus_items)
    if not isinstance(answers, list) or len(answers) != n:
        raise ValidationError({"answers": _("Give one answer per focus item (%(n)d items).")
                               % {"n": n}})
    clean, errors = [], []
    for number, raw in enumerate(answers, start=1):
        raw = raw if isinstance(raw, dict) else {}
        answer = (raw.get("answer") or "").strip()
        remark = str(raw.get("remark") or "").strip()
        if answer and answer not in SelfInspectionAnswer.values:
            errors.append(_("Item %(n)d: choose yes, no or not applicable.") % {"n": number})
        elif submit and not answer:
            errors.append(_("Item %(n)d: an answer is required.") % {"n": number})
        elif submit and answer == SelfInspectionAnswer.NO and not remark:
            errors.append(_("Item %(n)d: explain the problem and its rectification in the "
                            "remark when the answer is no.") % {"n": number})
        clean.append({"answer": answer, "remark": remark})
    if errors:
        raise ValidationError({"answers": errors})
    return clean


@acts
@transaction.atomic
def self_inspection_save(*, campaign: SelfInspectionCampaign, institution,
                         answers: list[dict], user, submit: bool) -> SelfInspectionSubmission:
    """Save ``institution``'s self-inspection form as a draft, or submit it.

    ``answers``: one ``{"answer": "yes"|"no"|"na"|"", "remark": str}`` per focus item, in order.
    A draft may leave answers empty; submitting needs every item answered and a remark for each
    "no". A submitted form is read-only. Submitting after ``campaign.due`` is accepted; the
    tracking page flags it late (``inspections.selectors.is_late``). Source: seed 002 §四.

    Raises ``PermissionDenied`` unless ``user`` is an institution user of ``institution`` and the
    campaign's plan is published; ``ValidationError`` naming ``answers`` (wrong shape, missing
    answers or remarks) or ``status`` (already submitted).
    """
    _check_institution_user(campaign=campaign, institution=institution, user=user)
    submission = (SelfInspectionSubmission.objects.select_for_update()
                  .filter(campaign=campaign, institution=institution).first())
    if submission is not None and submission.status == SelfInspectionStatus.SUBMITTED:
        raise ValidationError({"status": _("This form has been submitted and can no longer be "
                                           "changed.")})
    clean = _answers_clean(campaign=campaign, answers=answers, submit=submit)
    if submission is None:
        submission = SelfInspectionSubmission(campaign=campaign, institution=institution)
    submission.answers = clean
    submission.updated_by = user
    if submit:
        submission.status = SelfInspectionStatus.SUBMITTED
        submission.submitted_at = clock.now()
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as exc:  # a concurrent first save of the same form
        raise ValidationError({"status": _("The form was saved at the same time elsewhere; "
                                           "reload and try again.")}) from exc
    return submission


@acts
@transaction.atomic
def pledge_sign(*, campaign: SelfInspectionCampaign, institution, signatory_name: str,
                signatory_title: str, user) -> IntegrityPledge:
    """Sign the campaign's integrity pledge for ``institution``; returns the pledge.

    One pledge per institution and campaign. Stores ``signed_at`` = now and the campaign's
    ``pledge_text`` as signed (later edits of the campaign do not change it). Signing after the
    due date is accepted and flagged late on the tracking page. Source: seed 002 §四, attachment 2.

    Raises ``PermissionDenied`` as :func:`self_inspection_save`; ``ValidationError`` naming
    ``signatory_name`` / ``signatory_title`` (blank) or ``pledge`` (already signed).
    """
    _check_institution_user(campaign=campaign, institution=institution, user=user)
    errors = {}
    name, title = (signatory_name or "").strip(), (signatory_title or "").strip()
    if not name:
        errors["signatory_name"] = _("Enter the name of the person signing.")
    if not title:
        errors["signatory_title"] = _("Enter the title of the person signing.")
    if errors:
        raise ValidationError(errors)
    already = _("The integrity pledge for this campaign has already been signed.")
    if IntegrityPledge.objects.filter(campaign=campaign, institution=institution).exists():
        raise ValidationError({"pledge": already})
    try:
        with transaction.atomic():
            return IntegrityPledge.objects.create(
                campaign=campaign, institution=institution, signatory_name=name,
                signatory_title=title, signed_at=clock.now(), signed_by=user,
                pledge_text=campaign.pledge_text)
    except IntegrityError as exc:
        raise ValidationError({"pledge": already}) from exc
