"""Credit files: credit events and credit risk classification.

Sources: seed 001 §三(三) (credit files, differentiated supervision); seed 002 §三(三) (credit risk
classification per SAMR 2022 opinion No. 6; inspection and penalty information recorded under the
enterprise's name).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history
from institutions.models import CreditClass


class CreditEventKind(models.TextChoices):
    INSPECTION_PROBLEM = "inspection_problem", _("Problem found in a spot check")
    INSPECTION_CLEAN = "inspection_clean", _("Spot check without problems")
    RECTIFICATION_ORDERED = "rectification_ordered", _("Rectification ordered")
    CASE_OPENED = "case_opened", _("Case opened")
    PENALTY = "penalty", _("Administrative penalty")
    NON_COOPERATION = "non_cooperation", _("Refused to cooperate with a check")


class CreditEventQuerySet(ScopedQuerySet):
    """Events ``user`` may see: regulator by region, institution its own, else none."""

    region_path = "institution__region__code"
    institution_path = "institution_id"

    def current(self) -> CreditEventQuerySet:
        """Events in force: not superseded by a correction of their source."""
        return self.filter(superseded_at__isnull=True)

    def public(self) -> CreditEventQuerySet:
        """What the public record shows: public events in force."""
        return self.current().filter(is_public=True)


class CreditEvent(models.Model):
    """An entry in an institution's credit file (信用档案).

    Never edited: when the result it came from is corrected, the event is *superseded* (its
    ``superseded_at``, ``superseded_by`` and reason are set once) and the correction's event, if
    any, is recorded beside it (``credit.services``)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="credit_events", verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=24, choices=CreditEventKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("description"))
    source_task = models.ForeignKey("inspections.InspectionTask", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="credit_events",
                                    verbose_name=_("source task"))
    source_result = models.ForeignKey("inspections.InspectionResult", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="credit_events",
                                      verbose_name=_("source result revision"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="supersedes", verbose_name=_("superseded by"))
    superseded_reason = models.TextField(_("reason it was superseded"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now, editable=False)
    history = audited_history()

    objects = CreditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["institution", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()}"


class RiskClassificationQuerySet(ScopedQuerySet):
    """Classifications ``user`` may see: regulator by region, institution its own, else none."""

    region_path = "institution__region__code"
    institution_path = "institution_id"


class RiskClassification(models.Model):
    """A credit risk classification (A/B/C/D) of an institution as of a date.

    The draw uses the latest one per institution; where none exists it falls back to
    ``Institution.credit_class``.
    """

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="risk_classifications",
                                    verbose_name=_("institution"))
    risk_class = models.CharField(_("credit risk class"), max_length=1,
                                  choices=CreditClass.choices)
    assessed_on = models.DateField(_("assessed on"))
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    history = audited_history()

    objects = RiskClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit risk classification")
        verbose_name_plural = _("credit risk classifications")
        ordering = ["institution", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["institution", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.institution}: {self.risk_class}"
