"""Authorities, inspectors (检查人员名录库) and recusals (回避).

Source: seed 001 §三(三) (inspector registry); seed 002 §五(一) (the eight departments).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history


class Department(models.TextChoices):
    """The departments of a joint check (seed 002 §五(一))."""

    MARKET_REGULATION = "market", _("Market regulation")
    PUBLIC_SECURITY = "public_security", _("Public security")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources")
    ECOLOGY_ENVIRONMENT = "ecology_environment", _("Ecology and environment")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water resources")
    CUSTOMS = "customs", _("Customs")
    MEDICAL_PRODUCTS = "medical_products", _("Medical products")


class AuthorityLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class AuthorityQuerySet(ScopedQuerySet):
    """Authorities are public bodies: every signed-in user sees them all. A write form (an
    inspector's authority, a plan's participants) offers only those inside the user's region:
    a provincial regulator cannot file an inspector under another province's bureau."""

    region_path = "region__code"

    def for_regulator(self, user, prefix: str) -> AuthorityQuerySet:
        return self.all()

    def for_institution(self, user) -> AuthorityQuerySet:
        return self.all()

    def for_inspector(self, user) -> AuthorityQuerySet:
        return self.all()

    def writable_by(self, user) -> AuthorityQuerySet:
        return self.in_jurisdiction_of(user)


class Authority(models.Model):
    """A regulatory authority (监管部门). ``region`` empty means national jurisdiction."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.CharField(_("department"), max_length=24, choices=Department.choices,
                                  default=Department.MARKET_REGULATION)
    level = models.CharField(_("level"), max_length=10, choices=AuthorityLevel.choices)
    region = models.ForeignKey("institutions.Region", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="authorities",
                               verbose_name=_("region"))
    history = audited_history()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InspectorQuerySet(ScopedQuerySet):
    """Inspectors ``user`` may see: admin all; a regulator those of authorities inside his
    region (national authorities included for a national regulator); an inspector himself."""

    region_path = "authority__region__code"

    def for_inspector(self, user) -> InspectorQuerySet:
        return self.filter(user=user)


class Inspector(models.Model):
    """An enforcement inspector (执法检查人员) in the inspector registry."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="inspector",
                                verbose_name=_("user account"))
    name = models.CharField(_("name"), max_length=64)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="inspectors",
                                  verbose_name=_("authority"))
    card_number = models.CharField(_("enforcement card number"), max_length=32, unique=True)
    card_valid_until = models.DateField(_("card valid until"))
    fields = models.ManyToManyField("institutions.TestingField", blank=True,
                                    related_name="inspectors", verbose_name=_("testing fields"))
    home_county = models.ForeignKey("institutions.Region", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("home county"))
    former_employer = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.PROTECT,
        related_name="former_employees", verbose_name=_("former employer"))
    employed_until = models.DateField(_("employed there until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = audited_history(m2m_fields=[fields])

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["card_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.card_number})"


class RecusalKind(models.TextChoices):
    DECLARED_TIE = "declared_tie", _("Declared tie")
    FORMER_EMPLOYER = "former_employer", _("Former employer")
    PREVIOUS_CYCLE = "previous_cycle", _("Inspected it in the previous cycle")
    SAME_COUNTY = "same_county", _("Same county")


class RecusalQuerySet(ScopedQuerySet):
    """Recusals of the inspectors ``user`` may see (:class:`InspectorQuerySet`): admin all, a
    regulator those of his region's inspectors, an inspector his own."""

    region_path = "inspector__authority__region__code"

    def for_inspector(self, user) -> RecusalQuerySet:
        return self.filter(inspector__user=user)


class Recusal(models.Model):
    """A recorded tie (回避) between an inspector and an institution: never drawn together."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="recusals",
                                  verbose_name=_("inspector"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE,
                                    related_name="recusals", verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=20, choices=RecusalKind.choices,
                            default=RecusalKind.DECLARED_TIE)
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(_("declared at"), default=clock.now, editable=False)
    history = audited_history()

    objects = RecusalQuerySet.as_manager()

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["inspector", "institution", "kind"],
                                               name="recusal_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} ≠ {self.institution}"
