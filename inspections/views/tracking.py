"""Regulator pages: who has (not) submitted the self-inspection form and pledge, by deadline.

Source: seed 002 §四 (due 2023-10-27); DOMAIN.md "Cycle and deadlines" (late and missing
submissions are visible to regulators).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import region_prefix_for

from ..selectors import campaign_progress, campaigns_for, deadline_countdown, progress_counts

PAGE_SIZE = 200


def _require_regulator(user) -> None:
    if region_prefix_for(user) is None:
        raise PermissionDenied(_("This page is for regulators."))


@login_required
def campaign_tracking_list(request):
    """The self-inspection campaigns the regulator sees, nearest deadline first."""
    _require_regulator(request.user)
    today = timezone.localdate()
    campaigns = campaigns_for(user=request.user).order_by("-due", "-pk")
    rows = [{"campaign": c, "countdown": deadline_countdown(due=c.due, today=today)}
            for c in campaigns]
    return render(request, "inspections/tracking/list.html", {"rows": rows})


@login_required
def campaign_tracking(request, pk: int):
    """Expected institutions of one campaign with form and pledge status; ``?show=open`` keeps
    those that have not submitted."""
    user = request.user
    _require_regulator(user)
    campaign = get_object_or_404(campaigns_for(user=user), pk=pk)
    rows = campaign_progress(campaign=campaign, user=user)
    counts = progress_counts(rows)
    show = request.GET.get("show", "")
    if show == "open":
        rows = [row for row in rows if not row.is_submitted]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/tracking/campaign.html", {
        "campaign": campaign, "page": page, "counts": counts, "show": show,
        "countdown": deadline_countdown(due=campaign.due)})
