"""Staff pages of plans and draws: publish, commit with declared sources, run.

Every plan comes through ``SpotCheckPlan.objects.for_user`` (``accounts.access.scoped_get``);
the actions are checked again in the services (the organizing authority's regulators only).
Replacements: ``views.replacements``; review and publication of results: ``views.review``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import STAFF, audience_required, scoped_get

from ..forms import ExternalSourcesForm, ExternalValuesForm, ReplacementRequestForm
from ..models import (
    Draw,
    DrawStatus,
    InspectionResult,
    InspectionTask,
    ReplacementRequest,
    ReplacementState,
    ResultState,
    SpotCheckPlan,
    TaskAssignment,
    TaskStatus,
)
from ..services.draw_display import draws_for_display
from ..services.draws import draw_commit, draw_run_claim, draw_run_refusal, values_clean
from ..services.plans import plan_can_manage, plan_publish
from ..tasks import draw_run_task


def form_errors(request, exc: ValidationError) -> None:
    """Show a service ``ValidationError`` as messages, each naming its field."""
    for field, msgs in (exc.message_dict.items() if hasattr(exc, "error_dict")
                        else [("", exc.messages)]):
        for m in msgs:
            messages.error(request, f"{field}: {m}" if field else m)


def form_data(form) -> dict:
    """The cleaned data of a bound form, or a ``ValidationError`` naming each field by its
    label (as the page shows it)."""
    if not form.is_valid():
        raise ValidationError({str(form.fields[f].label) if f in form.fields else f:
                               [str(m) for m in ms] for f, ms in form.errors.items()})
    return form.cleaned_data


def act(request, plan_id: int, action):
    """Run ``action()`` (it returns the success message), show a ``ValidationError`` as
    messages naming the field, and go back to the plan page."""
    try:
        messages.success(request, action())
    except ValidationError as exc:
        form_errors(request, exc)
    return redirect("inspections:plan_manage_detail", pk=plan_id)


@audience_required(*STAFF)
def plan_manage_list(request):
    """Plans the regulator can see, with draw status and task counts."""
    plans = (SpotCheckPlan.objects.for_user(request.user).select_related("authority", "region")
             .annotate(task_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.REPLACED),
                                        distinct=True)))
    return render(request, "inspections/plans/manage_list.html", {"plans": plans})


@audience_required(*STAFF)
def plan_manage_detail(request, pk: int):
    """One plan: quotas, draws with their commitments and results, teams, replacement requests
    and the state of its results."""
    user = request.user
    plan = scoped_get(user, SpotCheckPlan.objects.select_related("authority", "region"), pk=pk)
    draws = list(plan.draws.select_related("created_by", "executed_by", "approved_by")
                 .defer("pool", "inspector_pool").order_by("created_at"))
    tasks = (InspectionTask.objects.for_user(user).filter(plan=plan)
             .select_related("institution", "institution__region", "field", "draw")
             .prefetch_related(Prefetch(
                 "assignments", queryset=TaskAssignment.objects.select_related(
                     "inspector", "inspector__authority", "draw").order_by("-active",
                                                                           "-is_leader", "id")))
             .order_by("draw_id", "stratum", "id"))
    primary = next((d for d in draws if d.kind == "institutions"
                    and d.status != DrawStatus.FAILED), None)
    draws_for_display(draws)
    can_manage = plan_can_manage(user, plan)
    for d in draws:
        d.refusal = draw_run_refusal(d, user) if d.status == DrawStatus.COMMITTED else None
        d.values_form = ExternalValuesForm(draw=d) if d.status == DrawStatus.COMMITTED else None
    states = dict(InspectionResult.objects.filter(task__plan=plan).values("state")
                  .annotate(n=Count("id")).values_list("state", "n"))
    requests = (ReplacementRequest.objects.filter(plan=plan)
                .select_related("task__institution", "assignment__inspector", "requested_by",
                                "decided_by", "draw").order_by("-requested_at"))
    inspected = set(InspectionResult.objects.filter(task__plan=plan)
                    .values_list("task_id", flat=True))
    return render(request, "inspections/plans/manage_detail.html", {
        "plan": plan, "quotas": plan.quotas.select_related("field"), "draws": draws,
        "primary": primary, "tasks": tasks, "can_manage": can_manage, "inspected": inspected,
        "states": states, "pending_review": states.get(ResultState.SUBMITTED, 0),
        "approved": states.get(ResultState.APPROVED, 0),
        "published": states.get(ResultState.PUBLISHED, 0),
        "requests": requests, "pending_requests": [r for r in requests
                                                   if r.state == ReplacementState.PENDING],
        "sources_form": ExternalSourcesForm(),
        "institution_form": ReplacementRequestForm(kind="institution"),
        "inspector_form": ReplacementRequestForm(kind="inspector"),
    })


@audience_required(*STAFF)
@require_POST
def plan_publish_view(request, pk: int):
    """Publish a draft plan: its quotas, weights and rules become public."""
    plan = scoped_get(request.user, SpotCheckPlan.objects, pk=pk)

    def action():
        plan_publish(plan=plan, user=request.user)
        return _("The plan is published.")
    return act(request, plan.pk, action)


@audience_required(*STAFF)
@require_POST
def draw_commit_view(request, pk: int):
    """Freeze the pools, declare the external sources and publish the seed commitment."""
    plan = scoped_get(request.user, SpotCheckPlan.objects, pk=pk)
    form = ExternalSourcesForm(request.POST)

    def action():
        form_data(form)
        draw = draw_commit(plan=plan, user=request.user, sources=form.sources())
        return _("Pool frozen (%(n)d institutions) and seed committed: %(c)s") % {
            "n": draw.pool_size, "c": draw.commitment[:16]}
    return act(request, plan.pk, action)


@audience_required(*STAFF)
@require_POST
def draw_run_view(request, pk: int):
    """Run a committed draw with the published values of its sources, as a Celery task.

    The request is checked here (organizer, time, values) so the page says at once what is
    wrong; the task checks it all again."""
    draw = scoped_get(request.user, Draw.objects.select_related("plan"), pk=pk)
    form = ExternalValuesForm(request.POST, draw=draw)

    def action():
        refusal = draw_run_refusal(draw, request.user)
        if refusal:
            raise ValidationError({"draw": refusal})
        form_data(form)
        values, user_id = form.values(), request.user.pk
        values_clean(draw, values)
        if not draw_run_claim(draw, request.user):
            raise ValidationError({"draw": _(
                "This draw is already being run or has run: the values you entered were not "
                "used. Reload the page to see it.")})
        transaction.on_commit(lambda: draw_run_task.delay(draw.pk, values, user_id))
        return _("The draw has been started.")
    return act(request, draw.plan_id, action)
