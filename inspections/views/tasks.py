"""The task page: the inspector records the result; the reviewer approves or returns it; the
team or the organizer corrects a published result. And the inspector's list of tasks.

Source: seed 002 §五 (on-site checks by the drawn teams; results with the standard categories);
DOMAIN.md "Records with legal effect" (recorded by one, reviewed by another, corrected by a new
revision). Rules: ``inspections.services.results`` and ``.review``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import INSPECTORS, STAFF, audience_required, scoped_get
from common import clock

from ..forms import CorrectionForm, ResultForm, ReviewForm, errors_to_form
from ..models import InspectionResult, InspectionTask, ResultState, TaskAssignment, TaskStatus
from ..models.results import OPEN_STATES
from ..services.plans import plan_can_manage
from ..services.replacements import replacement_under_way
from ..services.results import (
    CONTENT,
    is_team_member,
    may_author,
    result_correct,
    result_record,
    result_update,
)
from ..services.review import result_approve, result_can_review, result_return


def _team():
    return Prefetch("assignments", to_attr="team",
                    queryset=TaskAssignment.objects.filter(active=True)
                    .select_related("inspector__authority").order_by("-is_leader", "pk"))


@audience_required(*INSPECTORS)
def my_tasks(request):
    """The inspector's tasks (open first): institution, plan, deadline, team, status."""
    tasks = (InspectionTask.objects.for_user(request.user)
             .select_related("plan", "institution__region", "field")
             .prefetch_related(_team(), Prefetch(
                 "results", to_attr="revisions",
                 queryset=InspectionResult.objects.order_by("-revision")))
             .order_by("status", "deadline", "pk"))
    return render(request, "inspections/tasks/my_tasks.html", {
        "tasks": tasks, "today": clock.today(), "assigned": TaskStatus.ASSIGNED})


def _initial(result: InspectionResult | None) -> dict:
    if result is None:
        return {"checked_on": clock.today()}
    return {k: getattr(result, k) for k in CONTENT}


@audience_required(*INSPECTORS, *STAFF)
def task_result(request, pk: int):
    """A task's result with all its revisions, and the one action the user may take on it:
    record (team), change and submit (authors), approve or return (reviewer), correct a
    published result (team or organizer). ``POST action=…`` names the action."""
    user = request.user
    task = scoped_get(user, InspectionTask.objects.select_related(
        "plan", "institution__region", "field").prefetch_related(_team(),
                                                                 "rectification_orders"), pk=pk)
    revisions = list(task.results.select_related(
        "recorded_by", "reviewed_by", "published_by", "corrects").order_by("revision"))
    open_rev = next((r for r in revisions if r.state in OPEN_STATES), None)
    published = next((r for r in revisions if r.state == ResultState.PUBLISHED), None)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    forms: dict = {}
    if not revisions and task.status != TaskStatus.REPLACED and is_team_member(user, task) \
            and not replacement_under_way(task):
        forms["record"] = ResultForm(posted if action == "record" else None,
                                     initial=_initial(None))
    if open_rev is not None and open_rev.is_editable and may_author(user, open_rev):
        forms["update"] = ResultForm(posted if action == "update" else None,
                                     initial=_initial(open_rev))
    if open_rev is not None and open_rev.state == ResultState.SUBMITTED \
            and result_can_review(user, open_rev):
        forms["review"] = ReviewForm(posted if action in ("approve", "return") else None)
    if published is not None and open_rev is None and (
            is_team_member(user, task) or plan_can_manage(user, task.plan)):
        forms["correct"] = CorrectionForm(posted if action == "correct" else None,
                                          initial=_initial(published))
    form_key = "review" if action in ("approve", "return") else action
    form = forms.get(form_key)
    if posted is not None and form is not None and form.is_valid():
        data = form.cleaned_data
        submit = "submit" in request.POST
        try:
            if action == "record":
                result_record(task=task, user=user, submit=submit,
                              **{k: data[k] for k in CONTENT})
                done = _("Result submitted for review.") if submit else _("Result recorded.")
            elif action == "update":
                result_update(result=open_rev, user=user, submit=submit,
                              **{k: data[k] for k in CONTENT})
                done = _("Result submitted for review.") if submit else _("Result saved.")
            elif action == "approve":
                result_approve(result=open_rev, user=user, note=data["review_note"])
                done = _("Result approved; the organizer publishes it.")
            elif action == "return":
                result_return(result=open_rev, user=user, note=data["review_note"])
                done = _("Result returned to its authors.")
            else:
                result_correct(result=published, user=user, submit=submit,
                               reason=data["correction_reason"],
                               **{k: data[k] for k in CONTENT})
                done = _("Correction recorded; it is reviewed and published like a result.")
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:task_result", pk=task.pk)
    return render(request, "inspections/tasks/result.html", {
        "task": task, "revisions": revisions, "open_rev": open_rev, "published": published,
        "forms": forms, "is_team": is_team_member(user, task),
        "under_way": replacement_under_way(task)})
