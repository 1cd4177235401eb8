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
