"""Check items, spot-check plans and their quotas.

Sources: seed 001 §三(三) (differentiated ratios by risk and credit); seed 002 §二 (the 2023
national plan: 100 institutions, of which 20 national quality inspection centres, quotas per
field), §三(三) (credit risk classification used in the draw).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, ancestor_codes
from common.audit import audited_history
from inspections.drawing.algorithm import CLASSES

from .authorities import Authority, Department


class CheckItem(models.Model):
    """An entry of the check-item list (抽查事项清单): what may be checked, on what basis."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    subject = models.CharField(_("checked by"), max_length=100)
    method = models.CharField(_("method"), max_length=100)
    history = audited_history()

    class Meta:
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DRAWN = "drawn", _("Drawn")
    CLOSED = "closed", _("Closed")


class SelectionMode(models.TextChoices):
    """How many institutions each stratum gets."""

    QUOTAS = "quotas", _("Counts per field")
    TOTAL = "total", _("A total, allocated to fields by largest remainder")
    RATIO = "ratio", _("A ratio of the pool, allocated to fields by largest remainder")
    CLASS_RATIO = "class_ratio", _("A ratio per credit risk class (each class its own stratum)")


class CertificateLevel(models.TextChoices):
    """Which qualification certificates put an institution in a plan's pool: the issuing
    authority's level (seed 002 §二 national-level, §三 provincial-level institutions)."""

    ANY = "any", _("Any valid certificate")
    NATIONAL = "national", _("Certificate issued by SAMR (national level)")
    PROVINCIAL = "provincial", _("Certificate issued by a province")


class RiskWeighting(models.TextChoices):
    NONE = "none", _("Equal probability")
    CLASS_WEIGHT = "class_weight", _("Weights by credit risk class within each quota")


#: ready-made ratios per credit risk class (D high risk … A low risk) a plan can start from.
#: Henan 2021: high risk 30%, relatively high 10%, general 2%, low 1% (issue 3; the principle,
#: higher ratios for higher risk and worse credit, is seed 001 §三(三)).
CLASS_RATIO_PRESETS: dict[str, tuple[str, dict[str, str]]] = {
    "henan_2021": (_("Henan 2021: high risk 30%, relatively high 10%, general 2%, low 1%"),
                   {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"}),
}


def _validate_class_map(value, *, example: str, accept, problem) -> None:
    """``value`` must map classes A–D to numbers that ``accept`` (a Decimal → bool); raises
    ``ValidationError`` naming the class and the value (``problem``), or showing ``example``."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give them as %(example)s."), params={"example": example})
    for cls, number in value.items():
        if cls not in CLASSES:
            raise ValidationError(_("Unknown credit risk class %(cls)s: use A, B, C or D."),
                                  params={"cls": cls})
        try:
            ok = Decimal(str(number)).is_finite() and accept(Decimal(str(number)))
        except InvalidOperation:
            ok = False
        if not ok:
            raise ValidationError(problem, params={"cls": cls, "value": number})


def validate_class_ratios(value) -> None:
    """``{class: ratio}`` with classes among A–D and each ratio a decimal in [0, 1] (a string
    or number, e.g. ``"0.30"``). Raises ``ValidationError`` naming the class and the value."""
    _validate_class_map(
        value, example='{"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"}',
        accept=lambda d: 0 <= d <= 1,
        problem=_("Class %(cls)s: the ratio %(value)s is not a number between 0 and 1."))


def validate_class_weights(value) -> None:
    """``{class: weight}`` with classes among A–D and each weight a positive number. Raises
    ``ValidationError`` naming the class and the value."""
    _validate_class_map(
        value, example='{"A": 1, "B": 2, "C": 4, "D": 8}', accept=lambda d: d > 0,
        problem=_("Class %(cls)s: the weight %(value)s is not a positive number."))


class SpotCheckPlanQuerySet(ScopedQuerySet):
    """Plans ``user`` may see.

    Admin: all. Regulator: plans whose jurisdiction overlaps his region (national plans, plans
    of his region, of regions inside it and of the province or city containing it). Inspector /
    institution user: published plans in which they have a task. Anyone else: none (the public
    uses :meth:`published`). Writes (``writable_by``, :meth:`managed_by`): the plans of the
    user's own authority.
    """

    institution_path = "tasks__institution_id"
    inspector_path = "tasks__assignments"

    def for_regulator(self, user, prefix: str) -> SpotCheckPlanQuerySet:
        if prefix == "":
            return self.all()
        return self.filter(Q(region__isnull=True) | Q(region__code__startswith=prefix)
                           | Q(region_id__in=ancestor_codes(prefix)))

    def for_institution(self, user) -> SpotCheckPlanQuerySet:
        return self.published().filter(
            pk__in=self.model._base_manager.filter(tasks__institution_id=user.institution_id)
            .values("pk"))

    def for_inspector(self, user) -> SpotCheckPlanQuerySet:
        return super().for_inspector(user).published()

    def managed_by(self, user) -> SpotCheckPlanQuerySet:
        """Plans ``user`` organizes: those of his own authority, for a regulator; none for
        anyone else (platform administrators run the platform, not the plans). The rule of
        :func:`inspections.services.draws.plan_can_manage`."""
        if user is None or not user.is_authenticated or not user.is_active or not user.is_regulator:
            return self.none()
        return self.filter(authority_id=user.authority_id)

    def writable_by(self, user) -> SpotCheckPlanQuerySet:
        return self.managed_by(user)

    def published(self) -> SpotCheckPlanQuerySet:
        """Plans visible to the public (一公开): everything past draft."""
        return self.exclude(status=PlanStatus.DRAFT)


class SpotCheckPlan(models.Model):
    """A "double random, one public" spot-check plan with quotas, weights and draw settings.

    Everything that decides a draw is a field here and is published with the plan.
    """

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name=_("organizing authority"))
    participating_authorities = models.ManyToManyField(
        Authority, related_name="joint_plans", blank=True,
        verbose_name=_("participating authorities"),
        help_text=_("Inspectors are drawn from these (and the organizing authority)."))
    region = models.ForeignKey("institutions.Region", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="plans",
                               verbose_name=_("jurisdiction"),
                               help_text=_("Empty for a national plan."))
    fields = models.ManyToManyField("institutions.TestingField", blank=True, related_name="plans",
                                    verbose_name=_("testing fields in the pool"),
                                    help_text=_("Empty: every field."))
    natures = models.JSONField(_("institution kinds in the pool"), default=list, blank=True)
    certificate_level = models.CharField(
        _("certificate level"), max_length=12, choices=CertificateLevel.choices,
        default=CertificateLevel.ANY,
        help_text=_("Only institutions holding a valid certificate of this level are drawn."))
    check_items = models.ManyToManyField(CheckItem, blank=True, related_name="plans",
                                         verbose_name=_("check items"))
    source = models.CharField(_("source document"), max_length=200, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    self_inspection_due = models.DateField(_("self-inspection due"), null=True, blank=True)
    statistics_due = models.DateField(_("statistics due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    selection_mode = models.CharField(_("selection mode"), max_length=12,
                                      choices=SelectionMode.choices, default=SelectionMode.QUOTAS)
    total = models.PositiveIntegerField(_("total institutions"), null=True, blank=True)
    ratio = models.DecimalField(_("sampling ratio"), max_digits=6, decimal_places=4, null=True,
                                blank=True, help_text=_("0.1 means one tenth of the pool."))
    national_centre_count = models.PositiveIntegerField(
        _("of which national quality inspection centres"), null=True, blank=True)
    risk_weighting = models.CharField(_("risk weighting"), max_length=16,
                                      choices=RiskWeighting.choices, default=RiskWeighting.NONE)
    class_ratios = models.JSONField(
        _("ratio per credit risk class"), default=dict, blank=True,
        validators=[validate_class_ratios],
        help_text=_('For the class-ratio mode, e.g. {"D": "0.30", "C": "0.10", "B": "0.02", '
                    '"A": "0.01"} (Henan 2021).'))
    class_weights = models.JSONField(
        _("weight per credit risk class"), default=dict, blank=True,
        validators=[validate_class_weights],
        help_text=_('For weighted quotas, e.g. {"A": 1, "B": 2, "C": 4, "D": 8}.'))
    exclude_checked_months = models.PositiveSmallIntegerField(
        _("exclude institutions checked in the last N months"), default=12)

    inspectors_per_task = models.PositiveSmallIntegerField(_("inspectors per task"), default=2)
    joint_departments = models.JSONField(
        _("departments each team must include"), default=list, blank=True,
        help_text=_("Joint check: one inspector from each listed department."))
    workload_cap = models.PositiveSmallIntegerField(_("maximum tasks per inspector"), default=5)
    recuse_former_employer_years = models.PositiveSmallIntegerField(
        _("recuse former employees for N years"), default=3)
    recuse_previous_cycle = models.BooleanField(
        _("rotate: recuse inspectors who inspected the institution in the previous cycle"),
        default=True)
    recuse_same_county = models.BooleanField(_("recuse inspectors from the same county"),
                                             default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = audited_history(m2m_fields=[fields, participating_authorities])

    objects = SpotCheckPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class PlanQuotaQuerySet(ScopedQuerySet):
    """Quotas of the plans ``user`` may see."""

    through_path = "plan"


class PlanQuota(models.Model):
    """Quota of one stratum (testing field), with an optional national-centre sub-quota."""

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.CASCADE, related_name="quotas",
                             verbose_name=_("plan"))
    field = models.ForeignKey("institutions.TestingField", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("testing field"))
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    national_centre_count = models.PositiveIntegerField(
        _("of which national centres"), null=True, blank=True)
    lead_department = models.CharField(_("lead department"), max_length=24,
                                       choices=Department.choices, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = audited_history()

    objects = PlanQuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["plan", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "field"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.field}: {self.count}"
