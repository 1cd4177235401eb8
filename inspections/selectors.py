"""Reads for the self-inspection campaign: which campaigns a user sees, and who has submitted.

Source: seed 002 §四 (institutions self-inspect and sign the integrity pledge by 2023-10-27);
DOMAIN.md "Cycle and deadlines" (late and missing submissions are visible to regulators).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common import clock
from institutions.models import Institution

from .models import (
    InspectionTask,
    IntegrityPledge,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
    TaskStatus,
)

MISSING, DRAFT, SUBMITTED, LATE, SIGNED = "missing", "draft", "submitted", "late", "signed"
STATUS_LABELS = {MISSING: _("Not started"), DRAFT: _("Draft, not submitted"),
                 SUBMITTED: _("Submitted"), LATE: _("Submitted late")}
PLEDGE_LABELS = {MISSING: _("Not signed"), SIGNED: _("Signed"), LATE: _("Signed late")}
BADGE_CLASSES = {MISSING: "bad", DRAFT: "warn", SUBMITTED: "ok", SIGNED: "ok", LATE: "warn"}


def campaigns_for(*, user) -> QuerySet[SelfInspectionCampaign]:
    """The self-inspection campaigns ``user`` may see (``SelfInspectionCampaign.objects
    .for_user``), with ``plan`` joined."""
    return SelfInspectionCampaign.objects.for_user(user).select_related("plan")


def is_late(*, campaign: SelfInspectionCampaign, at: dt.datetime | None) -> bool:
    """Whether ``at`` falls after the end of ``campaign.due`` (24:00 Asia/Shanghai)."""
    if at is None:
        return False
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date() > campaign.due


@dataclass(frozen=True)
class ProgressRow:
    """One expected institution in a campaign: form status and pledge status.

    ``status``: ``missing`` | ``draft`` | ``submitted`` | ``late``; ``pledge``: ``missing`` |
    ``signed`` | ``late``; ``days_left``: days from ``today`` to the due date (negative once past).
    """

    institution: Institution
    status: str
    submitted_at: dt.datetime | None
    pledge: str
    pledged_at: dt.datetime | None
    days_left: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def pledge_label(self) -> str:
        return PLEDGE_LABELS[self.pledge]

    @property
    def status_badge(self) -> str:
        """CSS badge class; "missing" turns red only once the deadline has passed."""
        return "" if self.status == MISSING and self.days_left >= 0 else BADGE_CLASSES[self.status]

    @property
    def pledge_badge(self) -> str:
        return "" if self.pledge == MISSING and self.days_left >= 0 else BADGE_CLASSES[self.pledge]

    @property
    def is_submitted(self) -> bool:
        return self.status in (SUBMITTED, LATE)

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and not self.is_submitted


def campaign_progress(*, campaign: SelfInspectionCampaign, user,
                      today: dt.date | None = None) -> list[ProgressRow]:
    """Per institution expected to submit, its form and pledge status; ordered by name.

    Expected: institutions with a (not replaced) task in ``campaign.plan`` that ``user`` sees
    through ``InspectionTask.objects.for_user``; a campaign without a plan expects nobody.
    ``today`` defaults to the local date (Asia/Shanghai). Three queries whatever the size.
    """
    if campaign.plan_id is None:
        return []
    today = today or clock.today()
    task_institutions = (InspectionTask.objects.for_user(user)
                         .filter(plan_id=campaign.plan_id)
                         .exclude(status=TaskStatus.REPLACED).values("institution_id"))
    institutions = list(Institution.objects.filter(pk__in=task_institutions)
                        .select_related("region").order_by("name", "pk"))
    ids = [i.pk for i in institutions]
    submissions = {s.institution_id: s for s in SelfInspectionSubmission.objects.filter(
        campaign=campaign, institution_id__in=ids).only("institution_id", "status", "submitted_at")}
    pledges = {p.institution_id: p for p in IntegrityPledge.objects.filter(
        campaign=campaign, institution_id__in=ids).only("institution_id", "signed_at")}
    days_left = (campaign.due - today).days
    rows = []
    for inst in institutions:
        sub, pledge = submissions.get(inst.pk), pledges.get(inst.pk)
        rows.append(ProgressRow(
            institution=inst, status=submission_status(campaign=campaign, submission=sub),
            submitted_at=sub.submitted_at if sub else None,
            pledge=pledge_status(campaign=campaign, pledge=pledge),
            pledged_at=pledge.signed_at if pledge else None, days_left=days_left))
    return rows


def submission_status(*, campaign: SelfInspectionCampaign,
                      submission: SelfInspectionSubmission | None) -> str:
    """``missing`` | ``draft`` | ``submitted`` | ``late`` (submitted after the due date)."""
    if submission is None:
        return MISSING
    if submission.status != SelfInspectionStatus.SUBMITTED:
        return DRAFT
    return LATE if is_late(campaign=campaign, at=submission.submitted_at) else SUBMITTED


def pledge_status(*, campaign: SelfInspectionCampaign, pledge: IntegrityPledge | None) -> str:
    """``missing`` | ``signed`` | ``late`` (signed after the due date)."""
    if pledge is None:
        return MISSING
    return LATE if is_late(campaign=campaign, at=pledge.signed_at) else SIGNED


def progress_counts(rows: list[ProgressRow]) -> dict[str, int]:
    """Counts for the top of the tracking page: ``expected``, each status, ``not_submitted``,
    ``pledged``."""
    counts = {"expected": len(rows), MISSING: 0, DRAFT: 0, SUBMITTED: 0, LATE: 0, "pledged": 0}
    for row in rows:
        counts[row.status] += 1
        counts["pledged"] += row.pledge != MISSING
    counts["not_submitted"] = counts[MISSING] + counts[DRAFT]
    return counts


def deadline_countdown(*, due: dt.date, today: dt.date | None = None) -> dict:
    """``{"days_left": int, "days": abs(days_left), "state": "ahead"|"near"|"today"|"past"}``;
    "near" is a week or less before ``due``."""
    days_left = (due - (today or clock.today())).days
    state = ("past" if days_left < 0 else "today" if days_left == 0
             else "near" if days_left <= 7 else "ahead")
    return {"days_left": days_left, "days": abs(days_left), "state": state}
