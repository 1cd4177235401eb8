"""Inspection tasks and their teams (inspector assignments), as drawn.

Source: seed 002 §五 (on-site checks by the drawn teams), DOMAIN.md "The yearly cycle". Results
and rectification orders: ``inspections.models.results``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history


class InspectionMode(models.TextChoices):
    ON_SITE = "on_site", _("On-site inspection")
    DOCUMENTARY = "documentary", _("Documentary inspection")
    UNANNOUNCED = "unannounced", _("Unannounced (flying) inspection")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    RESULT_RECORDED = "result_recorded", _("Result recorded")
    REPLACED = "replaced", _("Replaced by a supplementary draw")


class InspectionTaskQuerySet(ScopedQuerySet):
    """Tasks ``user`` may see. Admin: all. Regulator: tasks on institutions inside his region.
    Inspector: tasks on whose team he is an active member. Institution user: his institution's
    tasks. Anyone else: none."""

    region_path = "institution__region__code"
    institution_path = "institution_id"
    inspector_path = "assignments"


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
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    history = audited_history()

    objects = InspectionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["plan", "stratum", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "institution"],
                                               name="task_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.institution}"


class TaskAssignmentQuerySet(ScopedQuerySet):
    """Team members of the tasks ``user`` may see."""

    through_path = "task"


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
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    history = audited_history()

    objects = TaskAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["task", "-is_leader", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "inspector"],
                                               name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} → {self.task}"
