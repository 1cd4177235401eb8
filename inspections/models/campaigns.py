"""Self-inspection campaigns, forms and integrity pledges.

Source: seed 002 §四 (self-inspection focus items, form = attachment 1, pledge = attachment 2,
due 2023-10-27).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common.audit import audited_history


class CampaignQuerySet(ScopedQuerySet):
    """Campaigns ``user`` may see.

    Admin and regulators: campaigns of the plans they see (``SpotCheckPlan.objects.for_user``)
    and campaigns without a plan. Institution users: the campaigns without a plan and those of
    a published plan whose region contains the institution's (seed 002 §四 asks every
    institution within the plan's reach to self-inspect, drawn or not: a national plan reaches
    the whole country, a provincial one its province). Anyone else: none.
    """

    def for_regulator(self, user, prefix: str) -> CampaignQuerySet:
        from .plans import SpotCheckPlan

        return self.filter(Q(plan__isnull=True)
                           | Q(plan__in=SpotCheckPlan.objects.for_user(user).values("pk")))

    def for_institution(self, user) -> CampaignQuerySet:
        from .plans import PlanStatus

        code = user.institution.region_id or ""
        reach = {"000000", code[:2] + "0000", code[:4] + "00", code}
        return self.filter(Q(plan__isnull=True) | (
            ~Q(plan__status=PlanStatus.DRAFT)
            & (Q(plan__region__isnull=True) | Q(plan__region_id__in=reach))))

    def writable_by(self, user) -> CampaignQuerySet:
        """A campaign of a plan is changed by the plan's organizer only; one without a plan by
        admins."""
        from .plans import SpotCheckPlan

        if user is not None and user.is_authenticated and user.is_active \
                and user.is_platform_admin:
            return self.filter(plan__isnull=True)
        return self.filter(plan__in=SpotCheckPlan.objects.managed_by(user).values("pk"))


class SelfInspectionCampaign(models.Model):
    """A self-inspection campaign: focus items and a deadline, usually tied to a plan."""

    plan = models.ForeignKey("inspections.SpotCheckPlan", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="campaigns",
                             verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"))
    focus_items = models.JSONField(_("focus items"), default=list)
    pledge_text = models.TextField(_("pledge text"))
    history = audited_history()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-inspection campaign")
        verbose_name_plural = _("self-inspection campaigns")
        ordering = ["-due"]

    def __str__(self) -> str:
        return self.title


class SelfInspectionAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class SelfInspectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class SubmissionQuerySet(ScopedQuerySet):
    """Submissions (or pledges) ``user`` may see: regulator by region, institution its own."""

    region_path = "institution__region__code"
    institution_path = "institution_id"

    def writable_by(self, user) -> SubmissionQuerySet:
        """Only the institution writes its own submissions (through the portal's services)."""
        from accounts.scoping import Audience, audience_of

        if audience_of(user) is not Audience.INSTITUTION:
            return self.none()
        return self.for_institution(user)


class SelfInspectionSubmission(models.Model):
    """An institution's self-inspection form. ``answers``: ``[{"answer": "yes"|"no"|"na",
    "remark": str}, ...]``, one per focus item in order."""

    campaign = models.ForeignKey(SelfInspectionCampaign, on_delete=models.PROTECT,
                                 related_name="submissions", verbose_name=_("campaign"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="self_inspections",
                                    verbose_name=_("institution"))
    answers = models.JSONField(_("answers"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=SelfInspectionStatus.choices,
                              default=SelfInspectionStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    history = audited_history()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-inspection form")
        verbose_name_plural = _("self-inspection forms")
        constraints = [models.UniqueConstraint(fields=["campaign", "institution"],
                                               name="submission_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.institution}"


class IntegrityPledge(models.Model):
    """An integrity pledge (诚信守法承诺书), signed online; one per institution and campaign."""

    campaign = models.ForeignKey(SelfInspectionCampaign, on_delete=models.PROTECT,
                                 related_name="pledges", verbose_name=_("campaign"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="pledges", verbose_name=_("institution"))
    signatory_name = models.CharField(_("signatory name"), max_length=64)
    signatory_title = models.CharField(_("signatory title"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("signed by account"))
    pledge_text = models.TextField(_("pledge text as signed"))
    history = audited_history()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrity pledge")
        verbose_name_plural = _("integrity pledges")
        constraints = [models.UniqueConstraint(fields=["campaign", "institution"],
                                               name="pledge_unique")]

    def __str__(self) -> str:
        return f"{self.institution} · {self.signed_at:%Y-%m-%d}"
