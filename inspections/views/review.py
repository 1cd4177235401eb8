"""Regulators' pages for results: the review queue, and publication after a preview.

Rules: ``inspections.services.review`` (another person reviews; the organizer sees the list
before it is published; a correction supersedes what it corrects).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import REGULATORS, STAFF, audience_required, scoped_get

from ..models import InspectionResult, ResultState, SpotCheckPlan
from ..services.review import results_publish, results_publish_preview
from .plans import form_errors


@audience_required(*REGULATORS)
def review_queue(request):
    """Results waiting for review on the plans the regulator's authority organizes, oldest
    first, and the approved ones waiting to be published, per plan."""
    user = request.user
    managed = SpotCheckPlan.objects.managed_by(user)
    pending = (InspectionResult.objects.for_user(user)
               .filter(task__plan__in=managed, state=ResultState.SUBMITTED)
               .select_related("task__plan", "task__institution", "recorded_by", "corrects")
               .order_by("submitted_at", "pk"))
    approved = (SpotCheckPlan.objects.filter(pk__in=managed.values("pk"))
                .filter(tasks__results__state=ResultState.APPROVED).distinct())
    return render(request, "inspections/review/queue.html", {
        "pending": pending, "approved_plans": approved, "me": user})


@audience_required(*STAFF)
def results_publish_view(request, pk: int):
    """GET: the approved results that publishing would make public (the organizer's preview).
    POST: publish exactly the revisions listed (``result`` ids from the preview)."""
    user = request.user
    plan = scoped_get(user, SpotCheckPlan.objects, pk=pk)
    if request.method == "POST":
        try:
            n = results_publish(plan=plan, user=user,
                                result_ids=[int(i) for i in request.POST.getlist("result")
                                            if i.isdigit()])
        except ValidationError as exc:
            form_errors(request, exc)
            return redirect("inspections:results_publish", pk=plan.pk)
        messages.success(request, _("%(n)d results published.") % {"n": n})
        return redirect("inspections:plan_manage_detail", pk=plan.pk)
    preview = list(results_publish_preview(plan=plan, user=user))
    return render(request, "inspections/review/publish.html",
                  {"plan": plan, "preview": preview})
