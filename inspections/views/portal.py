"""Institution portal: self-inspection forms, integrity pledges, open rectification orders.

Source: seed 002 §四 (self-inspection and pledge, due 2023-10-27). Institution users only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import INSTITUTIONS, audience_required, scoped_get
from common import clock

from ..forms import PledgeForm, SelfInspectionForm, errors_to_form
from ..models import (
    InspectionTask,
    IntegrityPledge,
    RectificationOrder,
    RectificationStatus,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
)
from ..selectors import (
    BADGE_CLASSES,
    DRAFT,
    MISSING,
    PLEDGE_LABELS,
    STATUS_LABELS,
    campaigns_for,
    deadline_countdown,
    pledge_status,
    submission_status,
)
from ..services.campaigns import pledge_sign as pledge_sign_service
from ..services.campaigns import self_inspection_save


def _badge(status: str, due_passed: bool) -> str:
    """CSS badge class; "missing" turns red only once the deadline has passed."""
    return "" if status == MISSING and not due_passed else BADGE_CLASSES[status]


@audience_required(*INSTITUTIONS)
def portal_home(request):
    """The institution's campaigns (form, pledge, countdown) and its open rectification orders."""
    user = request.user
    campaigns = list(campaigns_for(user=user).order_by("-due", "-pk"))
    submissions = {s.campaign_id: s for s in SelfInspectionSubmission.objects.for_user(user)
                   .filter(campaign__in=campaigns).only("campaign_id", "status", "submitted_at")}
    pledges = {p.campaign_id: p for p in IntegrityPledge.objects.for_user(user)
               .filter(campaign__in=campaigns).only("campaign_id", "signed_at")}
    drawn_plans = set(InspectionTask.objects.for_user(user).values_list("plan_id", flat=True))
    today = clock.today()
    rows = []
    for campaign in campaigns:
        status = submission_status(campaign=campaign, submission=submissions.get(campaign.pk))
        pledge = pledge_status(campaign=campaign, pledge=pledges.get(campaign.pk))
        countdown = deadline_countdown(due=campaign.due, today=today)
        due_passed = countdown["state"] == "past"
        rows.append({
            "campaign": campaign, "countdown": countdown,
            "drawn": campaign.plan_id in drawn_plans,
            "status": status, "status_label": STATUS_LABELS[status],
            "status_badge": _badge(status, due_passed),
            "editable": status in (MISSING, DRAFT),
            "pledge": pledge, "pledge_label": PLEDGE_LABELS[pledge],
            "pledge_badge": _badge(pledge, due_passed)})
    orders = (RectificationOrder.objects.for_user(user)
              .exclude(status__in=[RectificationStatus.ACCEPTED, RectificationStatus.WITHDRAWN])
              .select_related("task__plan").order_by("deadline", "pk"))
    return render(request, "inspections/portal/home.html",
                  {"rows": rows, "orders": orders, "today": today})


@audience_required(*INSTITUTIONS)
def self_inspection_edit(request, pk: int):
    """The self-inspection form: save a draft, or submit (then read-only)."""
    user = request.user
    campaign = scoped_get(user, SelfInspectionCampaign.objects.select_related("plan"), pk=pk)
    submission = SelfInspectionSubmission.objects.filter(
        campaign=campaign, institution_id=user.institution_id).first()
    read_only = submission is not None and submission.status == SelfInspectionStatus.SUBMITTED
    kwargs = {"focus_items": campaign.focus_items, "read_only": read_only,
              "initial_answers": submission.answers if submission else []}
    if request.method == "POST":
        form = SelfInspectionForm(request.POST, **kwargs)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                self_inspection_save(campaign=campaign, institution=user.institution,
                                     answers=form.answers(), user=user, submit=submit)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                if submit:
                    messages.success(request, _("Self-inspection form submitted."))
                    return redirect("inspections:portal_home")
                messages.success(request, _("Draft saved."))
                return redirect("inspections:self_inspection_edit", pk=campaign.pk)
    else:
        form = SelfInspectionForm(**kwargs)
    status = submission_status(campaign=campaign, submission=submission)
    return render(request, "inspections/portal/self_inspection.html", {
        "campaign": campaign, "form": form, "submission": submission, "read_only": read_only,
        "status_label": STATUS_LABELS[status],
        "status_badge": _badge(status, campaign.due < clock.today()),
        "countdown": deadline_countdown(due=campaign.due)})


@audience_required(*INSTITUTIONS)
def pledge_sign(request, pk: int):
    """Show the campaign's integrity pledge and sign it (once), or show the signed pledge."""
    user = request.user
    campaign = scoped_get(user, SelfInspectionCampaign.objects.select_related("plan"), pk=pk)
    pledge = IntegrityPledge.objects.filter(
        campaign=campaign, institution_id=user.institution_id).first()
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pledge_sign_service(campaign=campaign, institution=user.institution, user=user,
                                signatory_name=form.cleaned_data["signatory_name"],
                                signatory_title=form.cleaned_data["signatory_title"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Integrity pledge signed."))
            return redirect("inspections:portal_home")
    return render(request, "inspections/portal/pledge.html", {
        "campaign": campaign, "pledge": pledge, "form": form,
        "pledge_text": pledge.pledge_text if pledge else campaign.pledge_text,
        "countdown": deadline_countdown(due=campaign.due)})
