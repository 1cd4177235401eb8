"""Staff actions on replacements: request one, approve it (committing the supplementary draw)
or reject it. The rules are in ``inspections.services.replacements``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import STAFF, audience_required, scoped_get

from ..forms import ExternalSourcesForm, ReplacementRejectForm, ReplacementRequestForm
from ..models import InspectionTask, ReplacementRequest, TaskAssignment
from ..services.replacements import replacement_decide, replacement_request_create
from .plans import act, form_data


@audience_required(*STAFF)
@require_POST
def replacement_request_view(request, pk: int):
    """Ask for the replacement of task ``pk``'s institution, or (``assignment`` posted) of one
    member of its team."""
    task = scoped_get(request.user, InspectionTask.objects.select_related("plan"), pk=pk)
    assignment = None
    if request.POST.get("assignment"):
        assignment = scoped_get(request.user, TaskAssignment.objects.filter(task=task),
                                pk=request.POST["assignment"])
    kind = "inspector" if assignment is not None else "institution"
    form = ReplacementRequestForm(request.POST, kind=kind)

    def action():
        data = form_data(form)
        replacement_request_create(task=task, kind=kind, assignment=assignment,
                                   reason=data["reason"], evidence=data["evidence"],
                                   user=request.user)
        return _("Replacement requested; another regulator of the organizing authority "
                 "approves it.")
    return act(request, task.plan_id, action)


@audience_required(*STAFF)
@require_POST
def replacement_approve_view(request, pk: int):
    """Approve a pending request and commit its supplementary draw with the declared sources."""
    replacement = scoped_get(request.user, ReplacementRequest.objects, pk=pk)
    form = ExternalSourcesForm(request.POST)

    def action():
        form_data(form)
        replacement_decide(request=replacement, approve=True, user=request.user,
                           sources=form.sources())
        return _("Replacement approved; its supplementary draw is committed. Run it once the "
                 "declared values are published.")
    return act(request, replacement.plan_id, action)


@audience_required(*STAFF)
@require_POST
def replacement_reject_view(request, pk: int):
    """Reject a pending request, with the reason."""
    replacement = scoped_get(request.user, ReplacementRequest.objects, pk=pk)
    form = ReplacementRejectForm(request.POST)

    def action():
        replacement_decide(request=replacement, approve=False, user=request.user,
                           note=form_data(form)["note"])
        return _("Replacement rejected.")
    return act(request, replacement.plan_id, action)
