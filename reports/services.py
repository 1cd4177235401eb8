"""Writes on :class:`reports.models.Report`: request a report, generate its files.

A regulator (or platform admin) with an authority requests the statistics table of a plan he can
see; a Celery task (queue ``reports``) renders the PDF and the workbook in the background and
stores them with the status. Source: seed 002 §五(四) (the statistics table is reported after
the campaign; 2023: by 24 November).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts
from inspections.models import SpotCheckPlan

from .models import Report, ReportKind, ReportStatus
from .render import statistics_pdf, statistics_xlsx
from .statistics import inspection_statistics

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 4000


def report_viewer_check(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is an active regulator or platform admin.

    They may list and download the reports of their scope (``Report.objects.for_user``).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to see reports."))
    if not (user.is_platform_admin or user.is_regulator):
        raise PermissionDenied(_("Only regulators can see reports."))


def report_requester_check(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may request reports.

    Allowed: a viewer (:func:`report_viewer_check`) attached to an authority — the report belongs
    to that authority (``Report.authority``), so an admin without one cannot request.
    """
    report_viewer_check(user)
    if user.authority_id is None:
        raise PermissionDenied(_("Your account is not attached to an authority."))


@acts
@transaction.atomic
def report_request(*, plan: SpotCheckPlan, user,
                   kind: str = ReportKind.INSPECTION_STATISTICS) -> Report:
    """Create a pending report of ``plan`` for ``user``'s authority and enqueue its generation.

    The statistics are computed later with ``user``'s scope (``Report.requested_by``), in the
    language active now (``Report.language``). The task is sent after the transaction commits.

    Raises ``PermissionDenied`` when ``user`` is not a regulator/admin with an authority
    (:func:`report_requester_check`) or cannot see ``plan`` (``SpotCheckPlan.objects.for_user``);
    ``ValueError`` for an unknown ``kind``.
    """
    report_requester_check(user)
    if kind not in ReportKind.values:
        raise ValueError(f"unknown report kind {kind!r}")
    if not SpotCheckPlan.objects.for_user(user).filter(pk=plan.pk).exists():
        raise PermissionDenied(_("You cannot see this plan."))
    report = Report.objects.create(
        kind=kind, plan=plan, authority_id=user.authority_id, requested_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from .tasks import report_generate_task  # the task module imports this one

    report_id = report.pk
    # robust: in eager mode a rendering error is logged and recorded on the report, not raised
    # into the request that already committed it.
    transaction.on_commit(lambda: report_generate_task.delay(report_id), robust=True)
    return report


def report_generate(*, report_id: int) -> Report:
    """Compute and render report ``report_id``; store both files and mark it done.

    Idempotent: a done report is returned unchanged (a redelivered task does nothing). Otherwise
    sets ``running`` (``started_at``), computes :func:`inspection_statistics` with the
    requester's scope, renders the PDF and the .xlsx in the report's language, saves them to
    ``Report.pdf`` / ``Report.xlsx`` and sets ``done`` with ``finished_at``.

    Raises ``Report.DoesNotExist`` for an unknown id. Any error while computing, rendering or
    storing sets ``failed`` with the error text and is re-raised (the task retries database
    errors).
    """
    report = (Report.objects
              .select_related("plan__authority", "requested_by__authority__region")
              .get(pk=report_id))
    if report.status == ReportStatus.DONE:
        return report
    report.status = ReportStatus.RUNNING
    report.started_at = clock.now()
    report.error = ""
    report.save(update_fields=["status", "started_at", "error"])
    try:
        with translation.override(report.language):
            if report.kind != ReportKind.INSPECTION_STATISTICS:
                raise ValueError(f"no renderer for report kind {report.kind!r}")
            table = inspection_statistics(plan=report.plan, user=report.requested_by)
            pdf = statistics_pdf(table)
            xlsx = statistics_xlsx(table)
        for file_field in (report.pdf, report.xlsx):
            if file_field:
                file_field.delete(save=False)  # a previous, failed run's leftovers
        report.pdf.save(f"inspection-statistics-{report.pk}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"inspection-statistics-{report.pk}.xlsx", ContentFile(xlsx), save=False)
        report.status = ReportStatus.DONE
        report.finished_at = clock.now()
        report.save(update_fields=["pdf", "xlsx", "status", "finished_at"])
    except Exception as exc:
        _report_failed(report, exc)
        raise
    logger.info("report %s done in %.2f s (pdf %d B, xlsx %d B)", report.pk,
                report.duration_seconds or 0.0, len(pdf), len(xlsx))
    return report


def _report_failed(report: Report, exc: Exception) -> None:
    """Record ``exc`` on ``report`` as ``failed``; never masks the original error."""
    report.status = ReportStatus.FAILED
    report.error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    report.finished_at = clock.now()
    try:
        Report.objects.filter(pk=report.pk).update(
            status=report.status, error=report.error, finished_at=report.finished_at)
    except Exception:  # the database itself may be what failed
        logger.exception("could not record the failure of report %s", report.pk)
    logger.warning("report %s failed: %s", report.pk, report.error)
