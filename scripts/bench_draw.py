#!/usr/bin/env python3
"""Benchmark the draw at national scale (run by hand; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tic_bench .venv/bin/python scripts/bench_draw.py

Prepares (once) a registry of 60,000 institutions — generated workbook imported through the
import service — and 20,000 inspectors, then measures, on fresh copies of the plans:

* floor: reading the pool rows from PostgreSQL alone (the same SELECTs the pool builders run,
  all rows fetched, no processing);
* national: the 2023 plan (100 institutions, 20 national centres) — commit and run, institution
  draw plus inspector draw, end to end inside the Celery tasks (``apply``: the task machinery,
  in-process);
* provincial: a plan drawing 10% (ratio mode) of the province closest to 6,000 institutions;
* peak memory of one national draw (tracemalloc peak of Python allocations, and process RSS).

Prints medians over ``--reps`` runs (default 7) and the ratio national / floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from config.celery import app  # noqa: E402
from inspections.models import (  # noqa: E402
    Authority,
    Inspector,
    PlanQuota,
    Recusal,
    SpotCheckPlan,
    TaskAssignment,
)
from inspections.tasks import draw_commit_task, draw_run_task  # noqa: E402
from institutions.models import Institution  # noqa: E402
from loaders.inspectors import inspectors_generate  # noqa: E402
from loaders.reference import reference_data_load  # noqa: E402
from qualifications.models import Certificate  # noqa: E402


def prepare(n_inst: int, n_insp: int) -> None:
    call_command("migrate", verbosity=0)
    reference_data_load()
    have = Institution.objects.count()
    if have < n_inst:
        from loaders.registry.generator import registry_workbook_write
        from loaders.registry.service import registry_import

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.xlsx"
            registry_workbook_write(path, count=n_inst)
            with path.open("rb") as fh:
                result = registry_import(file=fh, filename=path.name)
            print(f"prepared registry: {result.status}, {Institution.objects.count()} rows")
    if Inspector.objects.count() < n_insp:
        inspectors_generate(count=n_insp)


def plan_copy(template: SpotCheckPlan, n: int, **changes) -> SpotCheckPlan:
    quotas = list(template.quotas.all())
    parts = list(template.participating_authorities.all())
    template.pk = None
    template.id = None
    template.title = f"{template.title} · bench {n} · {time.time_ns()}"
    template.status = "published"
    template.exclude_checked_months = 0  # earlier bench runs must not shrink the pool
    for k, v in changes.items():
        setattr(template, k, v)
    template.save()
    template.participating_authorities.set(parts)
    if "selection_mode" not in changes:
        PlanQuota.objects.bulk_create([PlanQuota(plan=template, field_id=q.field_id,
                                                 count=q.count, lead_department=q.lead_department,
                                                 sort_order=q.sort_order) for q in quotas])
    return template


def floor_read(plan: SpotCheckPlan) -> float:
    """The pool's rows straight from PostgreSQL, no processing (the floor)."""
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute(str(Institution.objects.values_list(
            "id", "uscc", "status", "nature", "primary_field_id", "is_national_centre",
            "credit_class", "region_id").query))
        c.fetchall()
        c.execute(str(Inspector.objects.filter(active=True).values_list(
            "id", "card_number", "authority__department", "home_county_id",
            "former_employer__uscc", "employed_until").query))
        c.fetchall()
        c.execute(str(Inspector.fields.through.objects.values_list(
            "inspector_id", "testingfield_id").query))
        c.fetchall()
        c.execute(str(Recusal.objects.values_list("inspector_id", "institution__uscc",
                                                  "kind").query))
        c.fetchall()
        c.execute(*Certificate.objects.filter(status="valid").values_list(
            "institution_id", "number").query.sql_with_params())
        c.fetchall()
    return time.perf_counter() - t0


SPLIT: dict[str, list[float]] = {"commit": [], "run": []}


def draw_once(plan: SpotCheckPlan, user: User, *,
              worker: bool = False) -> tuple[float, int, int]:
    """Commit then run one draw through the Celery tasks; returns (seconds, pool, members).

    ``worker``: sent to the worker process started by :func:`worker_start` through the broker
    and waited for (``delay().get()``), else run in this process (``apply``)."""
    at = timezone.now() - dt.timedelta(hours=2)  # its declared value is published by now
    sources = [{"name": "bench lottery", "known_at": (at + dt.timedelta(hours=1)).isoformat()}]
    call = ((lambda task, args: task.apply_async(args=args).get(timeout=120)) if worker
            else (lambda task, args: task.apply(args=args).get()))
    t0 = time.perf_counter()
    draw_id = call(draw_commit_task, (plan.pk, user.pk, sources, at.isoformat()))
    t1 = time.perf_counter()
    out = call(draw_run_task, (draw_id, ["bench 01 02 03"], user.pk))
    t2 = time.perf_counter()
    assert out["status"] == "completed", out
    SPLIT["commit"].append(t1 - t0)
    SPLIT["run"].append(t2 - t1)
    teams = TaskAssignment.objects.filter(draw_id=draw_id).count()
    return t2 - t0, plan.draws.get(pk=draw_id).pool_size, teams


def worker_start() -> subprocess.Popen:
    """A Celery worker process on the ``draws`` queue (prefork, one child), as in production;
    returns once it answers a ping."""
    log = Path(tempfile.gettempdir()) / "bench_draw_worker.log"
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-Q", "draws",
         "-c", "1", "-n", f"bench-draw-{os.getpid()}@%h", "--without-gossip",
         "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(120):
        if app.control.ping(destination=[f"bench-draw-{os.getpid()}@{socket.gethostname()}"],
                            timeout=0.5):
            return proc
        if proc.poll() is not None:
            sys.exit(f"the worker stopped (see {log})")
    proc.terminate()
    sys.exit(f"the worker did not answer (see {log})")


def history_rows() -> int:
    """Rows of every history table (simple-history) and of the audit log: what a database that
    has lived a while holds."""
    from django.apps import apps

    total = 0
    with connection.cursor() as c:
        for model in apps.get_models():
            if model.__name__.startswith("Historical") or model.__name__ == "AuditEvent":
                c.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
                total += c.fetchone()[0]
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--institutions", type=int, default=60000)
    parser.add_argument("--inspectors", type=int, default=20000)
    parser.add_argument("--worker", action="store_true",
                        help="also measure in a real worker process (needs CELERY_BROKER_URL)")
    args = parser.parse_args()
    if not args.worker:
        app.conf.task_always_eager = True
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    prepare(args.institutions, args.inspectors)
    samr = Authority.objects.get(name="市场监管总局")
    user, _ = User.objects.get_or_create(username="bench", defaults={
        "role": Role.REGULATOR, "authority": samr})
    template = SpotCheckPlan.objects.exclude(title__contains="· bench").get(year=2023,
                                                                         authority=samr)
    print(f"registry: {Institution.objects.count()} institutions, "
          f"{Inspector.objects.count()} inspectors, {Recusal.objects.count()} recusals")

    print(f"history and audit rows: {history_rows():,}")

    if args.worker:
        if app.conf.task_always_eager or not app.conf.broker_url:
            sys.exit("--worker needs CELERY_BROKER_URL (Redis) for a real worker")
        proc = worker_start()
        try:
            floors, national = [], []
            SPLIT["commit"].clear()
            SPLIT["run"].clear()
            for n in range(args.reps + 1):  # the first: the worker's first draw (cold)
                floors.append(floor_read(template))
                plan = plan_copy(SpotCheckPlan.objects.get(pk=template.pk), n)
                elapsed, pool, members = draw_once(plan, user, worker=True)
                national.append(elapsed)
        finally:
            proc.terminate()
            proc.wait(30)
        cold, warm = national[0], national[1:]
        floor = statistics.median(floors)
        commit, run = (statistics.median(SPLIT[k][1:]) for k in ("commit", "run"))
        print(f"floor (read the pool rows from PostgreSQL): median {floor * 1000:.0f} ms")
        print(f"national 2023 plan, commit + run in a worker process (prefork, via Redis): "
              f"median {statistics.median(warm) * 1000:.0f} ms (min {min(warm) * 1000:.0f}, "
              f"max {max(warm) * 1000:.0f}); the worker's first draw (cold) "
              f"{cold * 1000:.0f} ms; pool {pool}, team members {members}")
        print(f"  of which commit task: median {commit * 1000:.0f} ms; run task: median "
              f"{run * 1000:.0f} ms (each includes the broker round trip)")
        print(f"ratio worker / floor: {statistics.median(warm) / floor:.2f}; goal < 1 s and "
              f"≤ 3×")
        app.conf.task_always_eager = True
        SPLIT["commit"].clear()
        SPLIT["run"].clear()

    floors, national = [], []
    for n in range(args.reps):
        floors.append(floor_read(template))
        plan = plan_copy(SpotCheckPlan.objects.get(pk=template.pk), n)
        elapsed, pool, members = draw_once(plan, user)
        national.append(elapsed)
    print(f"floor (read pools from PostgreSQL): median {statistics.median(floors)*1000:.0f} ms")
    print(f"national 2023 plan, commit+run in Celery tasks in this process: median "
          f"{statistics.median(national)*1000:.0f} ms (min {min(national)*1000:.0f}, max "
          f"{max(national)*1000:.0f}); pool {pool}, team members {members}")
    floor = statistics.median(floors)
    commit, run = statistics.median(SPLIT["commit"]), statistics.median(SPLIT["run"])
    print(f"  of which commit task (freeze pools, digests, commitment): median "
          f"{commit*1000:.0f} ms; run task (institutions + inspectors, recorded): median "
          f"{run*1000:.0f} ms")
    print(f"ratio national / floor: {statistics.median(national)/floor:.2f} "
          f"(commit {commit/floor:.2f}, run {run/floor:.2f})")

    by_province = (Institution.objects.values("region_id").annotate(n=Count("id")))
    totals: dict[str, int] = {}
    for row in by_province:
        totals[row["region_id"][:2]] = totals.get(row["region_id"][:2], 0) + row["n"]
    province = min(totals, key=lambda p: abs(totals[p] - 6000))
    bureau = Authority.objects.get(region_id=province + "0000", department="market")
    puser, _ = User.objects.get_or_create(username=f"bench{province}", defaults={
        "role": Role.REGULATOR, "authority": bureau})
    provincial = []
    for n in range(args.reps):
        plan = plan_copy(SpotCheckPlan.objects.get(pk=template.pk), n, authority=bureau,
                         region_id=province + "0000", selection_mode="ratio", ratio="0.1",
                         national_centre_count=None, total=None,
                         certificate_level="provincial")
        plan.participating_authorities.set([bureau])
        elapsed, pool, members = draw_once(plan, puser)
        provincial.append(elapsed)
    print(f"provincial 10% of {totals[province]} ({bureau.name}): median "
          f"{statistics.median(provincial)*1000:.0f} ms; pool {pool}, team members {members}")

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    plan = plan_copy(SpotCheckPlan.objects.get(pk=template.pk), 99)
    tracemalloc.start()
    draw_once(plan, user)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of one national draw: {peak/2**20:.0f} MB traced (Python), process "
          f"max RSS {rss1/1024:.0f} MB (was {rss0/1024:.0f} MB before)")


if __name__ == "__main__":
    main()
