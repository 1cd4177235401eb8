"""Integrity under concurrency and failure, and the draw task on a real Celery worker."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from inspections.models import Draw, DrawSelection, DrawStatus, InspectionTask
from inspections.services import draws as draw_services
from inspections.services.draws import draw_execute

from ..cycle import commit, sources

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("sqlite")
                                 or not os.environ.get("DATABASE_URL"),
                                 reason="needs PostgreSQL (row locks)")]


def in_threads(*calls):
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def runner(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_commits_at_once_record_exactly_one(ref, provincial_plan, gd_organizer):
    results = in_threads(lambda: commit(provincial_plan, gd_organizer),
                         lambda: commit(provincial_plan, gd_organizer))
    assert sum(isinstance(r, Draw) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Draw.objects.filter(plan=provincial_plan).count() == 1


def test_two_runs_at_once_record_once(ref, provincial_plan, gd_organizer):
    draw = commit(provincial_plan, gd_organizer)
    later = draw.external_known_at + dt.timedelta(minutes=1)
    results = in_threads(
        lambda: draw_execute(draw_id=draw.pk, values=["a"], user_id=gd_organizer.pk, now=later),
        lambda: draw_execute(draw_id=draw.pk, values=["b"], user_id=gd_organizer.pk, now=later))
    assert all(isinstance(r, Draw) for r in results), results
    assert results[0].seed == results[1].seed
    assert DrawSelection.objects.filter(draw=draw).count() == 7
    assert InspectionTask.objects.filter(plan=provincial_plan).count() == 7


def test_a_crash_mid_run_leaves_nothing_and_the_retry_records_once(
        ref, provincial_plan, gd_organizer, monkeypatch):
    draw = commit(provincial_plan, gd_organizer)
    later = draw.external_known_at + dt.timedelta(minutes=1)
    real = draw_services._record

    def dying(*args, **kwargs):
        real(*args, **kwargs)
        raise SystemExit("worker lost")

    monkeypatch.setattr(draw_services, "_record", dying)
    with pytest.raises(SystemExit):
        draw_execute(draw_id=draw.pk, values=["x"], user_id=gd_organizer.pk, now=later)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED
    assert not InspectionTask.objects.filter(plan=provincial_plan).exists()
    monkeypatch.setattr(draw_services, "_record", real)
    draw_execute(draw_id=draw.pk, values=["x"], user_id=gd_organizer.pk, now=later)
    draw_execute(draw_id=draw.pk, values=["x"], user_id=gd_organizer.pk, now=later)
    assert InspectionTask.objects.filter(plan=provincial_plan).count() == 7


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a Redis broker")
def test_draw_task_runs_on_a_real_worker(ref, provincial_plan, gd_organizer):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from inspections.tasks import draw_commit_task, draw_run_task

    assert not app.conf.task_always_eager
    assert draw_run_task.acks_late
    with start_worker(app, pool="solo", perform_ping_check=False,
                      queues=["draws", "default"], shutdown_timeout=30):
        before = timezone.now() - dt.timedelta(hours=2)
        declared = [{"name": s["name"], "known_at": s["known_at"].isoformat()}
                    for s in sources(before)]
        draw_id = draw_commit_task.delay(provincial_plan.pk, gd_organizer.pk, declared,
                                         before.isoformat()).get(timeout=60)
        result = draw_run_task.delay(draw_id, ["12 34 56"], gd_organizer.pk).get(timeout=60)
        again = draw_run_task.delay(draw_id, ["other"], gd_organizer.pk).get(timeout=60)
    assert result == {"draw": draw_id, "status": "completed"} == again
    assert InspectionTask.objects.filter(plan=provincial_plan).count() == 7
    assert Draw.objects.get(pk=draw_id).external_value == "12 34 56"


def test_of_concurrent_run_requests_one_starts_the_draw_and_the_others_are_told(
        ref, provincial_plan, gd_organizer):
    from inspections.services.draws import draw_run_claim, draw_run_refusal

    draw = commit(provincial_plan, gd_organizer)
    claims = in_threads(*[lambda: draw_run_claim(draw, gd_organizer) for _ in range(10)])
    assert claims.count(True) == 1 and claims.count(False) == 9
    draw.refresh_from_db()
    assert "started" in draw_run_refusal(draw, gd_organizer) or draw.run_requested_at


def test_a_second_run_request_is_told_the_draw_is_already_running(
        ref, provincial_plan, gd_organizer, clock, client_as):
    draw = commit(provincial_plan, gd_organizer)
    clock(2)
    c = client_as(gd_organizer)
    from inspections.services.draws import draw_run_claim

    assert draw_run_claim(draw, gd_organizer)  # someone else's request is being run
    r = c.post(f"/inspections/draws/{draw.pk}/run/", {"value_0": "9 9 9"}, follow=True)
    told = [str(m) for m in r.context["messages"]]
    draw.refresh_from_db()
    assert told and all(m.startswith("draw:") for m in told), told
    assert draw.run_requested_at.strftime("%H:%M") in told[0] or "9 9 9" not in told[0]
    assert draw.status == DrawStatus.COMMITTED
