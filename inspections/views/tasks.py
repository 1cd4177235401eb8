"""Inspector pages: my tasks, and the result form of one task.

Source: seed 002 §五 (on-site checks by the drawn teams; results with the standard categories).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import ResultForm, errors_to_form
from ..models import InspectionResult, InspectionTask, TaskAssignment, TaskStatus
from ..services.results import result_record


def _team():
    return Prefetch("assignments", to_attr="team",
                    queryset=TaskAssignment.objects.filter(active=True)
                    .select_related("inspector__authority").order_by("-is_leader", "pk"))


@login_required
def my_tasks(request):
    """The inspector's tasks (open first): institution, plan, deadline, team, status."""
    user = request.user
    if not user.is_inspector:
        raise PermissionDenied(_("This page is for inspectors."))
    tasks = (InspectionTask.objects.for_user(user)
             .select_related("plan", "institution__region", "field", "result")
             .prefetch_related(_team())
             .order_by("status", "deadline", "pk"))
    return render(request, "inspections/tasks/my_tasks.html", {
        "tasks": tasks, "today": timezone.localdate(), "assigned": TaskStatus.ASSIGNED})


@login_required
def task_result(request, pk: int):
    """Record the result of a task (team inspector or admin); shows it once recorded."""
    user = request.user
    if not (user.is_inspector or user.is_platform_admin):
        raise PermissionDenied(_("Only inspectors record results."))
    task = get_object_or_404(
        InspectionTask.objects.for_user(user).select_related("plan", "institution__region", "field")
        .prefetch_related(_team(), "rectification_orders"), pk=pk)
    result = InspectionResult.objects.filter(task=task).select_related("recorded_by").first()
    form = None
    if result is None and task.status != TaskStatus.REPLACED:
        form = ResultForm(request.POST or None,
                          initial={"checked_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                result_record(task=task, user=user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("Result recorded."))
                return redirect("inspections:task_result", pk=task.pk)
    return render(request, "inspections/tasks/result.html",
                  {"task": task, "result": result, "form": form})
