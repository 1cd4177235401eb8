"""Celery tasks of the reports app (queue ``reports``, routed in settings)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import report_generate


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
             acks_late=True)
def report_generate_task(self, report_id: int) -> str:
    """Generate report ``report_id`` (:func:`reports.services.report_generate`).

    Retries up to 3 times with exponential back-off on database ``OperationalError``; any other
    error is recorded on the report as ``failed`` and raised. Returns the final status.
    """
    return report_generate(report_id=report_id).status


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
             acks_late=True)
def opendata_generate_task(self, day: str | None = None) -> dict:
    """Generate the day's bulk open-data set (:func:`reports.opendata.opendata_generate`):
    daily by beat (``CELERY_BEAT_SCHEDULE`` ``reports-opendata-daily``) and on demand
    (``opendata_generate_task.delay()``, ``manage.py opendata_generate``).

    ``day``: ``YYYY-MM-DD`` (default: today, local time). Idempotent: one set per day, asking
    again regenerates it. Returns ``{"date", "files": n, "rows": {dataset: n}, "pruned"}``, or
    ``{"date", "busy": True}`` when another run holds the day (nothing is written). Retries
    on database ``OperationalError`` (3 times, exponential back-off)."""
    import datetime as dt

    from .opendata import OpenDataBusy, opendata_generate

    date = dt.date.fromisoformat(day) if day else None
    try:
        manifest = opendata_generate(day=date)
    except OpenDataBusy as busy:
        return {"date": str(busy), "busy": True}
    return {"date": manifest["date"], "files": len(manifest["files"]),
            "rows": {e["dataset"]: e["rows"] for e in manifest["files"] if e["format"] == "csv"},
            "pruned": manifest["pruned"]}
