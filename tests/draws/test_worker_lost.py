"""A draw task whose worker dies mid-run, on real Celery worker processes against Redis.

Each worker is a separate ``celery worker`` process (prefork, one child) on the test database.
The test holds a row lock that the run needs for its last statement, so the worker is caught
with the draw's selections, tasks and teams written but not committed, and is then killed with
SIGKILL:

* only the pool child (as the kernel's OOM killer would): Celery's parent sees it lost and,
  because the task acks late and rejects on a lost worker, puts the message back at once;
* the whole worker, parent and child (a machine lost): the message stays unacknowledged in
  Redis and a fresh worker gets it once the visibility timeout has passed (lowered to 2 s here
  through ``CELERY_VISIBILITY_TIMEOUT``; 15 minutes in production, config/settings.py).

Rule (issue 3, "Integrity"; docs/draw.md §1): the draw is recorded once, with the same result as
a replay of its published record, or not at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from inspections.drawing.verifier import verify
from inspections.models import Draw, DrawSelection, DrawStatus, InspectionTask, TaskAssignment
from inspections.publication import draw_record

from ..cycle import commit_ready

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="needs PostgreSQL (row locks)"),
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a Redis broker"),
]


def _children(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _wait(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def db_dsn():
    s = connection.settings_dict
    return {"dbname": s["NAME"], "user": s["USER"] or "postgres", "host": s["HOST"] or None,
            "port": s["PORT"] or None, "password": s["PASSWORD"] or None}


@pytest.fixture
def start_worker(db_dsn, tmp_path):
    """``start_worker(queue)``: a real ``celery worker`` process on the test database consuming
    ``queue``, started and ready; returns ``(process, log path)``. All are stopped at the end."""
    procs: list[subprocess.Popen] = []
    d = db_dsn
    env = {**os.environ,
           "DATABASE_URL": f"postgres://{d['user']}@{d['host'] or '127.0.0.1'}:"
                           f"{d['port'] or 5432}/{d['dbname']}",
           "CELERY_VISIBILITY_TIMEOUT": "2", "CELERY_RESTORE_INTERVAL": "1",
           "PYTHONUNBUFFERED": "1"}

    def start(queue: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"worker-{len(procs)}.log"
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork",
               "-c", "1", "-Q", queue, "-n", f"{queue}-{len(procs)}@%h", "--without-heartbeat",
               "--without-mingle", "--without-gossip", "-l", "INFO", "-f", str(log)]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        procs.append(proc)
        _wait(lambda: log.exists() and "ready." in log.read_text(), "the worker to start")
        return proc, log

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


@pytest.fixture
def caught_mid_run(ref, provincial_plan, gd_organizer, db_dsn):
    """``caught_mid_run(queue)``: commit a draw, send its run task to ``queue`` and return
    ``(draw, async result, release)`` once a worker is inside the run with everything written
    but not committed (the last statement waits on a row this fixture holds); ``release()``
    lets go of the row and returns the blocked database backend's pid."""
    from inspections.tasks import draw_run_task

    conn = {k: v for k, v in db_dsn.items() if v is not None}
    blocker, watcher = psycopg2.connect(**conn), psycopg2.connect(**conn)
    watcher.autocommit = True

    def catch(queue: str):
        draw = commit_ready(provincial_plan, gd_organizer)
        # The run's last statement marks the plan drawn: hold that row so the run stops there
        # (NO KEY UPDATE lets the task rows' foreign-key checks through, so they are written).
        with blocker.cursor() as c:
            c.execute("SELECT id FROM inspections_spotcheckplan WHERE id = %s FOR NO KEY UPDATE",
                      [provincial_plan.pk])
        result = draw_run_task.apply_async(args=(draw.pk, ["07 15 23 31 42"], gd_organizer.pk),
                                           queue=queue)

        def blocked_backend():
            with watcher.cursor() as c:
                c.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                          "AND wait_event_type = 'Lock' "
                          "AND query LIKE 'UPDATE \"inspections_spotcheckplan\"%%'")
                row = c.fetchone()
            return row and row[0]

        backend = _wait(blocked_backend, "the draw to reach its last statement")
        with watcher.cursor() as c:  # written in the worker's transaction, invisible outside
            c.execute("SELECT count(*) FROM inspections_drawselection WHERE draw_id = %s",
                      [draw.pk])
            assert c.fetchone()[0] == 0

        def release() -> int:
            blocker.rollback()  # the orphaned statement finishes, cannot answer, rolls back
            return backend

        return draw, result, release

    yield catch
    blocker.close()
    watcher.close()


def backend_alive(pid: int, db_dsn) -> bool:
    with psycopg2.connect(**{k: v for k, v in db_dsn.items() if v is not None}) as conn, \
            conn.cursor() as c:
        c.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return c.fetchone()[0] == 1


def assert_recorded_once(draw, plan) -> None:
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPLETED
    assert draw.external_value == "07 15 23 31 42"
    assert DrawSelection.objects.filter(draw=draw).count() == 7
    assert InspectionTask.objects.filter(plan=plan).count() == 7
    assert TaskAssignment.objects.filter(draw=draw).count() == 14
    record = draw_record(draw)  # as published at /api/public/draws/{id}/
    assert verify(record, draw.pool, draw.inspector_pool) == []


def queue_name() -> str:
    return f"draws-test-{uuid.uuid4().hex[:8]}"


def test_a_pool_child_killed_mid_draw_is_requeued_and_records_once(
        start_worker, caught_mid_run, provincial_plan, db_dsn):
    queue = queue_name()
    proc, log = start_worker(queue)
    draw, result, release = caught_mid_run(queue)
    (child,) = _children(proc.pid)
    os.kill(child, signal.SIGKILL)
    _wait(lambda: child not in _children(proc.pid), "the child to die")
    backend = release()

    assert result.get(timeout=60) == {"draw": draw.pk, "status": "completed"}
    assert "WorkerLostError" in log.read_text()  # Celery saw the child die, then redelivered
    assert not backend_alive(backend, db_dsn)  # the dead child's transaction is gone
    assert_recorded_once(draw, provincial_plan)


def test_a_whole_worker_killed_mid_draw_is_redelivered_to_another_and_records_once(
        start_worker, caught_mid_run, provincial_plan, db_dsn):
    queue = queue_name()
    first, _log = start_worker(queue)
    draw, result, release = caught_mid_run(queue)
    os.killpg(first.pid, signal.SIGKILL)  # parent and child: nobody is left to requeue it
    first.wait(10)
    backend = release()
    _wait(lambda: not backend_alive(backend, db_dsn), "the dead worker's transaction to end")
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED  # nothing was written

    start_worker(queue)
    assert result.get(timeout=60) == {"draw": draw.pk, "status": "completed"}
    assert_recorded_once(draw, provincial_plan)
