"""Regulator pages: who has (not) submitted the self-inspection form and pledge, by deadline.

Source: seed 002 §四 (due 2023-10-27); DOMAIN.md "Cycle and deadlines" (late and missing
submissions are visible to regulators).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import STAFF, audience_required, scoped_get
from common import clock

from ..models import SelfInspectionCampaign
from ..selectors import campaign_progress, campaigns_for, deadline_countdown, progress_counts

PAGE_SIZE = 200


@audience_required(*STAFF)
def campaign_tracking_list(request):
    """The self-inspection campaigns the regulator sees, nearest deadline first."""
    today = clock.today()
    campaigns = campaigns_for(user=request.user).order_by("-due", "-pk")
    rows = [{"campaign": c, "countdown": deadline_countdown(due=c.due, today=today)}
            for c in campaigns]
    return render(request, "inspections/tracking/list.html", {"rows": rows})


@audience_required(*STAFF)
def campaign_tracking(request, pk: int):
    """Expected institutions of one campaign with form and pledge status; ``?show=open`` keeps
    those that have not submitted."""
    user = request.user
    campaign = scoped_get(user, SelfInspectionCampaign.objects.select_related("plan"), pk=pk)
    rows = campaign_progress(campaign=campaign, user=user)
    counts = progress_counts(rows)
    show = request.GET.get("show", "")
    if show == "open":
        rows = [row for row in rows if not row.is_submitted]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/tracking/campaign.html", {
        "campaign": campaign, "page": page, "counts": counts, "show": show,
        "countdown": deadline_countdown(due=campaign.due)})
