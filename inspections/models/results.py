"""Inspection results with their revisions and review, and rectification orders.

A result is a chain of revisions of one task: revision 1 is recorded by the team, reviewed by
another person of the organizing authority, then published (一公开); a published revision is
never edited — a correction (更正) is a new revision with its reason that goes through the same
review and publication, and supersedes the one it corrects. States::

    recorded (已录入) ──submit──▶ submitted (待审核) ──approve──▶ approved (审核通过) ──publish──▶ published (已公示)
        ▲                             │                                                        │
        └──────── returned (退回) ◀───┘ return                              a correction published: superseded (已更正)

Result categories are the standard ones of the national "double random" result publication.
Sources: seed 002 §五(三) (publish results; problems lead to rectification or a case),
DOMAIN.md "Records with legal effect" (recorded by one person, reviewed by another, then
published; corrected by a new, visible revision with its reason). Written only by
``inspections.services.results`` and ``inspections.services.review``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history


class ResultCategory(models.TextChoices):
    """The standard result categories of a spot check."""

    # Official Chinese wording in the zh_Hans catalogue: 未发现问题; 发现问题待后续处理;
    # 发现问题经责令已改正; 未发现开展本次抽查涉及的经营活动; 已关闭停业或正在组织清算;
    # 不配合检查情节严重; 注销、吊销、撤销或迁出.
    NO_PROBLEM = "no_problem", _("No problem found")
    PROBLEM_PENDING = "problem_pending", _("Problem found, pending follow-up")
    PROBLEM_CORRECTED = "problem_corrected", _("Problem found, corrected on order")
    NO_ACTIVITY = "no_activity", _("No business activity covered by this check found")
    CLOSED = "closed", _("Closed, out of business or in liquidation")
    NON_COOPERATION = "non_cooperation", _("Seriously refused to cooperate")
    DEREGISTERED = "deregistered", _("Deregistered, licence revoked or cancelled, or moved out")

    @classmethod
    def problem_found(cls) -> frozenset[str]:
        """Categories that mean a problem was found (open rectification, write credit)."""
        return frozenset({cls.PROBLEM_PENDING, cls.PROBLEM_CORRECTED, cls.NON_COOPERATION})


class FollowUpMeasure(models.TextChoices):
    NONE = "none", _("None")
    RECTIFICATION = "rectification", _("Rectification order")
    CASE_OPENED = "case_opened", _("Case opened")
    TRANSFERRED = "transferred", _("Transferred to the competent department")
    ABNORMAL_LIST = "abnormal_list", _("Listed as abnormal operations")


class ResultState(models.TextChoices):
    # Chinese wording in the zh_Hans catalogue: 已录入; 待审核; 退回; 审核通过; 已公示; 已更正.
    RECORDED = "recorded", _("Recorded")
    SUBMITTED = "submitted", _("Pending review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Corrected (superseded)")


#: a revision still being worked on: at most one per task
OPEN_STATES = (ResultState.RECORDED, ResultState.SUBMITTED, ResultState.RETURNED,
               ResultState.APPROVED)
#: a revision the team (or the correction's author) may still edit
EDITABLE_STATES = (ResultState.RECORDED, ResultState.RETURNED)


class InspectionResultQuerySet(ScopedQuerySet):
    """Result revisions of the tasks ``user`` may see; an institution user sees only the
    published and superseded revisions of his institution (never a draft under review)."""

    region_path = "task__institution__region__code"
    institution_path = "task__institution_id"
    inspector_path = "task__assignments"

    def for_institution(self, user) -> InspectionResultQuerySet:
        return super().for_institution(user).filter(
            state__in=[ResultState.PUBLISHED, ResultState.SUPERSEDED])

    def published(self) -> InspectionResultQuerySet:
        """The current public result of each task (一公开): its published revision, on a
        published plan. A corrected task shows its correction; the revision it replaced is
        ``superseded``."""
        from .plans import PlanStatus

        return self.filter(state=ResultState.PUBLISHED).exclude(
            task__plan__status=PlanStatus.DRAFT)

    def effective(self) -> InspectionResultQuerySet:
        """The revision in force for each task with one: approved or published, and not a
        published revision whose correction has been approved (the correction is in force).
        What statistics count."""
        return (self.filter(state__in=[ResultState.APPROVED, ResultState.PUBLISHED])
                .exclude(Q(state=ResultState.PUBLISHED)
                         & Q(corrections__state=ResultState.APPROVED)))

    def open(self) -> InspectionResultQuerySet:
        """Revisions being worked on (recorded, pending review, returned, approved)."""
        return self.filter(state__in=OPEN_STATES)


class InspectionResult(models.Model):
    """One revision of a task's result (see the module docstring)."""

    task = models.ForeignKey("inspections.InspectionTask", on_delete=models.PROTECT,
                             related_name="results", verbose_name=_("task"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", verbose_name=_("corrects"))
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ResultState.choices,
                             default=ResultState.RECORDED, db_index=True)
    category = models.CharField(_("result"), max_length=20, choices=ResultCategory.choices)
    follow_up = models.CharField(_("follow-up measure"), max_length=16,
                                 choices=FollowUpMeasure.choices, default=FollowUpMeasure.NONE)
    findings = models.TextField(_("findings"), blank=True)
    checked_on = models.DateField(_("checked on"))
    rectification_deadline = models.DateField(_("rectification deadline"), null=True,
                                              blank=True)
    rectification_requirements = models.TextField(_("rectification requirements"),
                                                  blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    history = audited_history()

    objects = InspectionResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["task", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["task", "revision"], name="result_revision_unique"),
            models.UniqueConstraint(fields=["task"], condition=Q(state__in=OPEN_STATES),
                                    name="one_open_result_per_task"),
            models.UniqueConstraint(fields=["task"], condition=Q(state="published"),
                                    name="one_published_result_per_task"),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("recorded_by")),
                name="result_reviewer_is_not_recorder"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_category_display()} (r{self.revision})"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Response submitted")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn after a correction")


class RectificationOrderQuerySet(ScopedQuerySet):
    """Orders on the institutions ``user`` may see; an inspector those of his teams' tasks."""

    region_path = "institution__region__code"
    institution_path = "institution_id"
    inspector_path = "task__assignments"


class RectificationOrder(models.Model):
    """A rectification order (责令整改) with a deadline, answered by the institution.

    Issued when the result revision that orders it is approved; withdrawn (never deleted) when
    a correction of that result no longer orders it."""

    task = models.ForeignKey("inspections.InspectionTask", on_delete=models.PROTECT,
                             related_name="rectification_orders", verbose_name=_("task"))
    result = models.ForeignKey(InspectionResult, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="rectification_orders",
                               verbose_name=_("ordered by result revision"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="rectification_orders",
                                    verbose_name=_("institution"))
    requirements = models.TextField(_("requirements"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    response = models.TextField(_("institution's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)
    history = audited_history()

    objects = RectificationOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.deadline}"
