"""``GET /health/``: is the service able to work? Used by docker-compose and load balancers.

Checks, each with its time in milliseconds: ``database`` (a query), ``cache`` (a Redis round
trip when ``REDIS_URL`` is set, else the local cache) and, with ``?worker=1``, ``worker`` (a
Celery ping, when a broker is configured). 200 with ``{"status": "ok", "checks": {...}}`` when
all pass, 503 with the failing check's error otherwise. No login; it reveals no data.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _timed(fn) -> dict:
    t0 = time.perf_counter()
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the check reports any failure
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"ok": True, "ms": round((time.perf_counter() - t0) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("health:ping", "pong", 10)
    if cache.get("health:ping") != "pong":
        raise RuntimeError("the cache did not return what was stored")


def _worker() -> None:
    from celery import current_app as app  # the project's app (config/__init__.py)

    if app.conf.task_always_eager:
        return
    replies = app.control.ping(timeout=1.5)
    if not replies:
        raise RuntimeError("no Celery worker answered")


@never_cache
@require_safe
def health(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    if request.GET.get("worker") == "1" and settings.CELERY_BROKER_URL:
        checks["worker"] = _timed(_worker)
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "failing", "checks": checks},
                        status=200 if ok else 503)
