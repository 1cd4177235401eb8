"""Draw records: append-only.

A draw is committed (pool frozen with its digest, seed commitment published) before it runs and
completed exactly once; after that it is never changed. A replacement is a new supplementary draw
pointing at its parent. Source: seed 001 §三(三), seed 002 §二–三; ``docs/draw.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history


class DrawKind(models.TextChoices):
    INSTITUTIONS = "institutions", _("Institutions")
    INSPECTORS = "inspectors", _("Inspectors")
    SUPPLEMENTARY_INSTITUTION = "supp_institution", _("Supplementary: institution")
    SUPPLEMENTARY_INSPECTOR = "supp_inspector", _("Supplementary: inspector")


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed (pool frozen, seed committed)")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed (constraints could not be met)")


class DrawQuerySet(ScopedQuerySet):
    """Draws of the plans ``user`` may see."""

    through_path = "plan"

    def published(self) -> DrawQuerySet:
        """Draws of published plans (the commitment is public from the moment it is made)."""
        from .plans import PlanStatus

        return self.exclude(plan__status=PlanStatus.DRAFT)

    def update(self, **kwargs):  # noqa: D102 - append-only
        if self.exclude(status=DrawStatus.COMMITTED).exists():
            raise ValidationError(_("A completed draw is never changed."))
        return super().update(**kwargs)

    def delete(self):  # noqa: D102 - append-only
        raise ValidationError(_("Draw records are append-only."))


class Draw(models.Model):
    """One draw: its frozen pool, commitment, entropy, seed and (in ``result``) its selection.

    ``server_seed`` is secret until the draw completes; ``commitment`` = SHA-256(server seed) is
    public from creation, with the declared ``external_sources``. ``seed`` = SHA-256(server seed
    ‖ external value ‖ pool digest), the external value being the declared sources' normalised
    values (``external_values``) joined by line feeds.
    """

    plan = models.ForeignKey("inspections.SpotCheckPlan", on_delete=models.PROTECT,
                             related_name="draws", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=20, choices=DrawKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="supplementary_draws",
                               verbose_name=_("replaces part of"))
    status = models.CharField(_("status"), max_length=12, choices=DrawStatus.choices,
                              default=DrawStatus.COMMITTED)
    algorithm_version = models.CharField(_("algorithm version"), max_length=32)
    parameters = models.JSONField(_("parameters (quotas, weights, rules)"), default=dict)
    pool = models.TextField(_("frozen pool (canonical serialisation)"))
    pool_digest = models.CharField(_("pool digest (SHA-256)"), max_length=64)
    pool_size = models.PositiveIntegerField(_("pool size"))
    exclusions = models.JSONField(_("exclusions with counts"), default=dict)
    inspector_pool = models.TextField(_("frozen inspector pool"), blank=True)
    inspector_pool_digest = models.CharField(_("inspector pool digest (SHA-256)"),
                                             max_length=64, blank=True)
    commitment = models.CharField(_("seed commitment (SHA-256)"), max_length=64)
    server_seed = models.CharField(_("server seed"), max_length=64)
    external_sources = models.JSONField(
        _("declared external sources"), default=list, blank=True,
        help_text=_('Declared at commit: [{"name": …, "known_at": ISO time}], public values '
                    "that nobody can know at commit time (docs/draw.md §3)."))
    external_known_at = models.DateTimeField(
        _("external values known at"), null=True, blank=True,
        help_text=_("The draw may not run before every declared value is known."))
    external_values = models.JSONField(_("external values (normalised)"), default=list,
                                       blank=True)
    external_value = models.CharField(_("external entropy"), max_length=1000, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("run by"))
    created_at = models.DateTimeField(_("committed at"), default=clock.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    run_requested_at = models.DateTimeField(_("run requested at"), null=True, blank=True)
    run_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("run requested by"))
    history = audited_history(excluded_fields=["pool", "inspector_pool"])

    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["plan", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(kind__in=["institutions", "inspectors"]) & ~Q(status="failed"),
                name="one_primary_draw_per_plan_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        """Save a new or committed draw; refuse any change to a completed or failed one."""
        if self.pk is not None:
            stored = Draw.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in (DrawStatus.COMPLETED, DrawStatus.FAILED):
                raise ValidationError(_("A completed draw is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Draw records are append-only."))

    @property
    def is_completed(self) -> bool:
        return self.status == DrawStatus.COMPLETED


class DrawSelectionQuerySet(ScopedQuerySet):
    """Selections of the draws ``user`` may see."""

    through_path = "draw"


class DrawSelection(models.Model):
    """One institution selected by a draw, with its stratum, rank and key (append-only)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="selections",
                             verbose_name=_("draw"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="draw_selections",
                                    verbose_name=_("institution"))
    stratum = models.CharField(_("stratum"), max_length=32)
    rank = models.PositiveIntegerField(_("rank in stratum"))
    key = models.CharField(_("key"), max_length=64)
    history = audited_history()

    objects = DrawSelectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("selected institution")
        verbose_name_plural = _("selected institutions")
        ordering = ["draw", "stratum", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "institution"],
                                               name="selection_unique")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.stratum}:{self.rank}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Draw records are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Draw records are append-only."))
