"""Celery tasks of the spot-check cycle: thin wrappers around the draw services.

Both are idempotent: a commit refuses a second draw of the same plan; a run does nothing to a draw
that is no longer committed. Routed to the ``draws`` queue (settings.CELERY_TASK_ROUTES).
``at`` (ISO time) is the moment the act is recorded at, for the demo's 2023 story; the web views
never pass it, so the services take the wall clock.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError

from common.audit import acting_as

from .models import SpotCheckPlan
from .services.draws import draw_commit, draw_execute, draw_run_release


def _when(at: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(at) if at else None


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def draw_commit_task(self, plan_id: int, user_id: int, sources: list[dict],
                     at: str | None = None) -> int:
    """Freeze the pools of plan ``plan_id`` and commit a seed with the declared ``sources``
    (``[{"name", "known_at": ISO time}]``); returns the draw id."""
    user = get_user_model().objects.get(pk=user_id)
    plan = SpotCheckPlan.objects.get(pk=plan_id)
    declared = [{"name": s["name"], "known_at": dt.datetime.fromisoformat(s["known_at"])}
                for s in sources]
    with acting_as(user, "worker"):
        return draw_commit(plan=plan, user=user, sources=declared, now=_when(at)).pk


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True,
             max_retries=5)
def draw_run_task(self, draw_id: int, values: list[str], user_id: int | None = None,
                  at: str | None = None) -> dict:
    """Run committed draw ``draw_id`` with the published values of its declared sources;
    returns ``{"draw", "status"}``.

    A worker that dies mid-run leaves nothing (one transaction); the redelivered task (acks_late)
    runs it again and records it once.
    """
    try:
        with acting_as(user_id, "worker"):
            draw = draw_execute(draw_id=draw_id, values=values, user_id=user_id, now=_when(at))
    except (ValidationError, PermissionDenied):
        draw_run_release(draw_id)  # refused: the page may ask again
        raise
    return {"draw": draw.pk, "status": draw.status}
