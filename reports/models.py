"""Regulatory reports (statistics tables, notices) generated in the background and stored.

Not to be confused with test reports, which institutions issue (``qualifications``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common.audit import audited_history


class ReportKind(models.TextChoices):
    INSPECTION_STATISTICS = "inspection_statistics", _("Inspection statistics table")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportQuerySet(ScopedQuerySet):
    """Reports ``user`` may see: admin all; a regulator his authority's; else none."""

    def for_regulator(self, user, prefix: str) -> ReportQuerySet:
        return self.filter(authority_id=user.authority_id)


class Report(models.Model):
    """A generated regulatory report with its files and status."""

    kind = models.CharField(_("kind"), max_length=32, choices=ReportKind.choices)
    plan = models.ForeignKey("inspections.SpotCheckPlan", on_delete=models.PROTECT,
                             related_name="reports", verbose_name=_("plan"))
    authority = models.ForeignKey("inspections.Authority", on_delete=models.PROTECT,
                                  related_name="reports", verbose_name=_("authority"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.PENDING)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(_("Excel workbook"), upload_to="reports/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE,
                                help_text=_("Language the files are rendered in (the requester's)."))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = audited_history(excluded_fields=["error"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan}"

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from start to finish of the last run, ``None`` if it never finished."""
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
