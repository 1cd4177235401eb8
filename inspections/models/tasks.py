"""Inspection tasks, inspector assignments, results and rectification orders.

Result categories are the standard ones of the national "double random" result publication;
source: seed 002 §五(三) (publish results), DOMAIN.md "The yearly cycle".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import region_prefix_for


class InspectionMode(models.TextChoices):
    ON_SITE = "on_site", _("On-site inspection")
    DOCUMENTARY = "documentary", _("Documentary inspection")
    UNANNOUNCED = "unannounced", _("Unannounced (flying) inspection")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    RESULT_RECORDED = "result_recorded", _("Result recorded")
    REPLACED = "replaced", _("Replaced by a supplementary draw")


class InspectionTaskQuerySet(models.QuerySet):
    def for_user(self, user) -> InspectionTaskQuerySet:
        """Tasks ``user`` may see.

        Admin: all. Regulator: tasks on institutions inside his region. Inspector: tasks he is
        assigned to. Institution user: his institution's tasks. Anyone else: none.
        """
        prefix = region_prefix_for(user)
        if prefix == "":
            return self
        if prefix:
            return self.filter(institution__region__code__startswith=prefix)
        if user is not None and user.is_authenticated and user.is_active:
            if user.is_inspector:
                return self.filter(assignments__inspector__user=user,
                                   assignments__active=True).distinct()
            if user.is_institution_user:
                return self.filter(institution_id=user.institution_id)
        return self.none()


class InspectionTask(models.Model):
    """An inspection task (检查任务): one institution, one team, one deadline."""

    plan = models.ForeignKey("inspections.SpotCheckPlan", on_delete=models.PROTECT,
                             related_name="tasks", verbose_name=_("plan"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="inspection_tasks",
                                    verbose_name=_("institution"))
    draw = models.ForeignKey("inspections.Draw", on_delete=models.PROTECT,
                             related_name="tasks", verbose_name=_("drawn by"))
    stratum = models.CharField(_("stratum"), max_length=32)
    field = models.ForeignKey("institutions.TestingField", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("testing field"))
    mode = models.CharField(_("mode"), max_length=12, choices=InspectionMode.choices,
                            default=InspectionMode.ON_SITE)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.ASSIGNED, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = InspectionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["plan", "stratum", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "institution"],
                                               name="task_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.institution}"


class TaskAssignment(models.Model):
    """An inspector on a task's team, as drawn (``draw``); replaced ones stay, inactive."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("task"))
    inspector = models.ForeignKey("inspections.Inspector", on_delete=models.PROTECT,
                                  related_name="assignments", verbose_name=_("inspector"))
    draw = models.ForeignKey("inspections.Draw", on_delete=models.PROTECT,
                             related_name="assignments", verbose_name=_("drawn by"))
    is_leader = models.BooleanField(_("team leader"), default=False)
    matched_field = models.BooleanField(_("matches the institution's field"), default=True)
    fallback_reason = models.CharField(_("fallback reason"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["task", "-is_leader", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "inspector"],
                                               name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} → {self.task}"


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


class InspectionResultQuerySet(models.QuerySet):
    def for_user(self, user) -> InspectionResultQuerySet:
        """Results of the tasks ``user`` may see (:meth:`InspectionTaskQuerySet.for_user`)."""
        return self.filter(task__in=InspectionTask.objects.for_user(user))


class InspectionResult(models.Model):
    """The recorded result of a task (one per task)."""

    task = models.OneToOneField(InspectionTask, on_delete=models.PROTECT, related_name="result",
                                verbose_name=_("task"))
    category = models.CharField(_("result"), max_length=20, choices=ResultCategory.choices)
    follow_up = models.CharField(_("follow-up measure"), max_length=16,
                                 choices=FollowUpMeasure.choices, default=FollowUpMeasure.NONE)
    findings = models.TextField(_("findings"), blank=True)
    checked_on = models.DateField(_("checked on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    published = models.BooleanField(_("published"), default=False)
    history = HistoricalRecords()

    objects = InspectionResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self) -> str:
        return f"{self.task}: {self.get_category_display()}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Response submitted")
    ACCEPTED = "accepted", _("Accepted")


class RectificationOrderQuerySet(models.QuerySet):
    def for_user(self, user) -> RectificationOrderQuerySet:
        """Orders on the tasks ``user`` may see."""
        return self.filter(task__in=InspectionTask.objects.for_user(user))


class RectificationOrder(models.Model):
    """A rectification order (责令整改) with a deadline, answered by the institution."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT,
                             related_name="rectification_orders", verbose_name=_("task"))
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
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RectificationOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.deadline}"
