"""Celery tasks of the spot-check cycle: thin wrappers around the draw services.

Both are idempotent: a commit refuses a second draw of the same plan; a run does nothing to a draw
that is no longer committed. Routed to the ``draws`` queue (settings.CELERY_TASK_ROUTES).
"""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError

from .models import SpotCheckPlan
from .services.draws import draw_commit, draw_execute


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def draw_commit_task(self, plan_id: int, user_id: int) -> int:
    """Freeze the pools of plan ``plan_id`` and commit a seed; returns the draw id."""
    user = get_user_model().objects.get(pk=user_id)
    plan = SpotCheckPlan.objects.get(pk=plan_id)
    return draw_commit(plan=plan, user=user).pk


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def draw_run_task(self, draw_id: int, external_value: str, user_id: int | None = None) -> dict:
    """Run committed draw ``draw_id`` with the external value; returns ``{"draw", "status"}``.

    A worker that dies mid-run leaves nothing (one transaction); the redelivered task (acks_late)
    runs it again and records it once.
    """
    draw = draw_execute(draw_id=draw_id, external_value=external_value, user_id=user_id)
    return {"draw": draw.pk, "status": draw.status}
