"""Replacement requests: asking for a supplementary draw, and the second person's decision.

A drawn institution or team member is replaced only for a reason from a fixed list, with its
evidence, requested by one regulator of the organizing authority and approved by another; the
approval commits the supplementary draw. A task that already has a recorded result is never
replaced. Request, decision and the replacement chain are public (一公开). Rules: DOMAIN.md "A
finished draw is never changed; a replacement (for a recusal or a closed institution) is a new,
recorded supplementary draw"; seed 001 §三(三). Written only by
``inspections.services.replacements``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history


class ReplacementReason(models.TextChoices):
    # Chinese wording in the zh_Hans catalogue: 已关闭停业或正在清算; 已注销或被吊销营业执照;
    # 已迁出计划辖区; 资质认定证书已撤销、注销或过期; 抽取后申报回避; 检查人员因病、休假或调岗无法参加;
    # 执法证件已失效.
    CLOSED = "closed", _("Closed down or in liquidation")
    DEREGISTERED = "deregistered", _("Deregistered, or its business licence revoked")
    MOVED_OUT = "moved_out", _("Moved out of the plan's jurisdiction")
    QUALIFICATION_LAPSED = "qualification_lapsed", _(
        "Qualification certificate revoked, cancelled or expired")
    RECUSAL_AFTER_DRAW = "recusal_after_draw", _("A conflict of interest declared after the draw")
    INSPECTOR_UNAVAILABLE = "inspector_unavailable", _(
        "Inspector unavailable (illness, leave, new post)")
    CARD_INVALID = "card_invalid", _("Enforcement card no longer valid")


#: the reasons that may replace a drawn institution, and those that may replace a team member
INSTITUTION_REASONS = (ReplacementReason.CLOSED, ReplacementReason.DEREGISTERED,
                       ReplacementReason.MOVED_OUT, ReplacementReason.QUALIFICATION_LAPSED)
INSPECTOR_REASONS = (ReplacementReason.RECUSAL_AFTER_DRAW,
                     ReplacementReason.INSPECTOR_UNAVAILABLE, ReplacementReason.CARD_INVALID)


class ReplacementKind(models.TextChoices):
    INSTITUTION = "institution", _("Replace the institution")
    INSPECTOR = "inspector", _("Replace a team member")


class ReplacementState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReplacementRequestQuerySet(ScopedQuerySet):
    """Requests of the plans ``user`` may see."""

    through_path = "plan"

    def public(self) -> ReplacementRequestQuerySet:
        """Requests of published plans: every request is public with its decision."""
        from .plans import PlanStatus

        return self.exclude(plan__status=PlanStatus.DRAFT)


class ReplacementRequest(models.Model):
    """A request to replace a task's institution or one team member (see the module doc)."""

    plan = models.ForeignKey("inspections.SpotCheckPlan", on_delete=models.PROTECT,
                             related_name="replacement_requests", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=12, choices=ReplacementKind.choices)
    task = models.ForeignKey("inspections.InspectionTask", on_delete=models.PROTECT,
                             related_name="replacement_requests", verbose_name=_("task"))
    assignment = models.ForeignKey("inspections.TaskAssignment", null=True, blank=True,
                                   on_delete=models.PROTECT,
                                   related_name="replacement_requests",
                                   verbose_name=_("team member"))
    reason = models.CharField(_("reason"), max_length=24, choices=ReplacementReason.choices)
    evidence = models.TextField(_("evidence"), help_text=_(
        "What shows the reason: a document and its number, a notice, a declaration."))
    replaces_replacement = models.BooleanField(
        _("replaces a replacement"), default=False,
        help_text=_("The institution or member to replace was itself drawn by a "
                    "supplementary draw."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)
    state = models.CharField(_("state"), max_length=10, choices=ReplacementState.choices,
                             default=ReplacementState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    draw = models.OneToOneField("inspections.Draw", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="replacement_request",
                                verbose_name=_("supplementary draw"))
    history = audited_history()

    objects = ReplacementRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("replacement request")
        verbose_name_plural = _("replacement requests")
        ordering = ["plan", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="replacement_decider_is_not_requester"),
            models.UniqueConstraint(fields=["task"], condition=Q(state="pending", kind="institution"),
                                    name="one_pending_institution_replacement_per_task"),
            models.UniqueConstraint(fields=["assignment"], condition=Q(state="pending"),
                                    name="one_pending_replacement_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task} ({self.get_state_display()})"
