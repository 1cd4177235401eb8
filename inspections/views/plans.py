"""Staff pages of plans and draws: publish, commit, run, replace (regulators and admins).

Every plan comes through ``SpotCheckPlan.objects.for_user``; the actions check
``plan_can_manage`` (the organizing authority) in the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..models import (
    Draw,
    DrawStatus,
    InspectionResult,
    InspectionTask,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)
from ..services.draws import (
    draw_commit,
    draws_for_display,
    plan_can_manage,
    plan_publish,
    supplementary_inspector_commit,
    supplementary_institution_commit,
)
from ..tasks import draw_run_task


class ExternalValueForm(forms.Form):
    external_value = forms.CharField(
        label=gettext_lazy("External value"), max_length=200,
        help_text=gettext_lazy("The number read out by the witness, or the value announced in "
                               "advance (for example a lottery result)."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _staff(user) -> None:
    if not (user.is_platform_admin or user.is_regulator):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    for field, msgs in (exc.message_dict.items() if hasattr(exc, "error_dict")
                        else [("", exc.messages)]):
        for m in msgs:
            messages.error(request, f"{field}: {m}" if field else m)


@login_required
def plan_manage_list(request):
    """Plans the regulator can see, with draw status and task counts."""
    _staff(request.user)
    plans = (SpotCheckPlan.objects.for_user(request.user).select_related("authority", "region")
             .annotate(task_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.REPLACED),
                                        distinct=True)))
    return render(request, "inspections/plans/manage_list.html", {"plans": plans})


@login_required
def plan_manage_detail(request, pk: int):
    """One plan: quotas, draws with their commitments and results, teams, replacement forms."""
    _staff(request.user)
    plan = get_object_or_404(SpotCheckPlan.objects.for_user(request.user)
                             .select_related("authority", "region"), pk=pk)
    draws = list(plan.draws.select_related("created_by", "executed_by", "approved_by")
                 .defer("pool", "inspector_pool").order_by("created_at"))
    tasks = (InspectionTask.objects.for_user(request.user).filter(plan=plan)
             .select_related("institution", "institution__region", "field", "draw")
             .prefetch_related(Prefetch(
                 "assignments", queryset=TaskAssignment.objects.select_related(
                     "inspector", "inspector__authority", "draw").order_by("-active",
                                                                           "-is_leader", "id")))
             .order_by("draw_id", "stratum", "id"))
    primary = next((d for d in draws if d.kind == "institutions"
                    and d.status != DrawStatus.FAILED), None)
    draws_for_display(draws)
    recorded = InspectionResult.objects.filter(task__in=tasks)
    return render(request, "inspections/plans/manage_detail.html", {
        "results_unpublished": recorded.filter(published=False).count(),
        "results_published": recorded.filter(published=True).count(),
        "plan": plan, "quotas": plan.quotas.select_related("field"), "draws": draws,
        "primary": primary, "tasks": tasks,
        "can_manage": plan_can_manage(request.user, plan),
        "run_form": ExternalValueForm(), "reason_form": ReasonForm(),
    })


def _managed_plan(request, pk: int) -> SpotCheckPlan:
    _staff(request.user)
    return get_object_or_404(SpotCheckPlan.objects.for_user(request.user), pk=pk)


def _act(request, plan_id: int, action):
    """Run ``action()`` (it returns the success message), show a ``ValidationError`` as
    messages naming the field, and go back to the plan page."""
    try:
        messages.success(request, action())
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("inspections:plan_manage_detail", pk=plan_id)


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise ValidationError({"reason": form.errors.get("reason", [])})
    return form.cleaned_data["reason"]


@login_required
@require_POST
def plan_publish_view(request, pk: int):
    """Publish a draft plan: its quotas, weights and rules become public."""
    plan = _managed_plan(request, pk)

    def action():
        plan_publish(plan=plan, user=request.user)
        return _("The plan is published.")
    return _act(request, plan.pk, action)


@login_required
@require_POST
def draw_commit_view(request, pk: int):
    """Freeze the pools and publish the seed commitment (before the draw)."""
    plan = _managed_plan(request, pk)

    def action():
        draw = draw_commit(plan=plan, user=request.user)
        return _("Pool frozen (%(n)d institutions) and seed committed: %(c)s") % {
            "n": draw.pool_size, "c": draw.commitment[:16]}
    return _act(request, plan.pk, action)


@login_required
@require_POST
def results_publish_view(request, pk: int):
    """Publish the recorded results of the plan that lie in the regulator's region (一公开)."""
    from ..services.results import results_publish

    plan = _managed_plan(request, pk)
    return _act(request, plan.pk, lambda: _("%(n)d results published.") % {
        "n": results_publish(plan=plan, user=request.user)})


@login_required
@require_POST
def draw_run_view(request, pk: int):
    """Run a committed draw with the external value, as a Celery task."""
    _staff(request.user)
    draw = get_object_or_404(Draw.objects.for_user(request.user).select_related("plan"), pk=pk)
    if not plan_can_manage(request.user, draw.plan):
        raise PermissionDenied
    form = ExternalValueForm(request.POST)
    if form.is_valid():
        value, user_id = form.cleaned_data["external_value"], request.user.pk
        transaction.on_commit(lambda: draw_run_task.delay(draw.pk, value, user_id))
        messages.success(request, _("The draw has been started."))
    else:
        for err in form.errors.get("external_value", []):
            messages.error(request, f"{_('External value')}: {err}")
    return redirect("inspections:plan_manage_detail", pk=draw.plan_id)


SUPPLEMENTARY_DONE = gettext_lazy("Supplementary draw committed; run it with an external value.")


@login_required
@require_POST
def supplementary_institution_view(request, pk: int):
    """Commit a supplementary draw that replaces a task's institution."""
    _staff(request.user)
    task = get_object_or_404(InspectionTask.objects.for_user(request.user)
                             .select_related("plan", "institution", "draw"), pk=pk)

    def action():
        supplementary_institution_commit(task=task, reason=_reason(request), user=request.user)
        return SUPPLEMENTARY_DONE
    return _act(request, task.plan_id, action)


@login_required
@require_POST
def supplementary_inspector_view(request, pk: int):
    """Commit a supplementary draw that replaces one team member."""
    _staff(request.user)
    assignment = get_object_or_404(
        TaskAssignment.objects.filter(task__in=InspectionTask.objects.for_user(request.user))
        .select_related("task", "task__plan", "inspector__authority", "draw"), pk=pk)

    def action():
        supplementary_inspector_commit(assignment=assignment, reason=_reason(request),
                                       user=request.user)
        return SUPPLEMENTARY_DONE
    return _act(request, assignment.task.plan_id, action)
