"""Qualification certificates (CMA), scope, permit mode, status history, test-report numbers.

Sources: seed 000 §16 (public certificate and report-number query), §17 (notify-and-commit
verification); seed 003 §3 (permit modes).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from common import clock
from common.audit import audited_history

from .validators import validate_certificate_number


class PermitMode(models.TextChoices):
    STANDARD = "standard", _("Standard procedure")
    NOTIFY_COMMIT = "notify_commit", _("Notify-and-commit")
    SELF_DECLARATION = "self_declaration", _("Self-declaration")
    CHANGE_FILING = "change_filing", _("Change filing")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


def public_status_of(status: str, valid_until: date, today: date) -> str:
    """valid / suspended / revoked / expired, as the public check answers it: a certificate
    recorded valid but past ``valid_until`` is expired (seed 000 §16)."""
    if status == CertificateStatus.VALID and valid_until < today:
        return CertificateStatus.EXPIRED
    return status


class CertificateQuerySet(ScopedQuerySet):
    """Certificates ``user`` may see: those of the institutions he may see."""

    region_path = "institution__region__code"
    institution_path = "institution_id"
    inspector_path = "institution__inspection_tasks__assignments"


class Certificate(models.Model):
    """A qualification certificate (资质认定证书); valid 6 years from issue."""

    number = models.CharField(_("certificate number"), max_length=12, unique=True,
                              validators=[validate_certificate_number])
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="certificates", verbose_name=_("institution"))
    issuing_authority = models.CharField(_("issuing authority"), max_length=64)
    fields = models.ManyToManyField("institutions.TestingField", related_name="certificates",
                                    verbose_name=_("testing fields"))
    scope_summary = models.TextField(_("scope"), blank=True)
    permit_mode = models.CharField(_("permit mode"), max_length=20, choices=PermitMode.choices,
                                   default=PermitMode.STANDARD)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID, db_index=True)
    verified_at = models.DateTimeField(
        _("commitment verified at"), null=True, blank=True,
        help_text=_("Notify-and-commit permits must be verified later (seed 000 §17)."))
    history = audited_history(m2m_fields=[fields])

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification certificate")
        verbose_name_plural = _("qualification certificates")
        ordering = ["number"]
        indexes = [
            # The daily expiry task: valid certificates past their end date.
            models.Index(fields=["status", "valid_until"], name="qual_cert_status_until"),
            # Notify-and-commit permits awaiting verification (seed 000 §17).
            models.Index(fields=["permit_mode"], name="qual_cert_unverified",
                         condition=models.Q(verified_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    def public_status(self, today: date | None = None) -> str:
        """valid / suspended / revoked / expired, as the public check answers it."""
        return public_status_of(self.status, self.valid_until, today or clock.today())

    def public_status_label(self, today: date | None = None) -> str:
        """The translated label of :meth:`public_status`."""
        return CertificateStatus(self.public_status(today)).label


class TestReportNumberQuerySet(ScopedQuerySet):
    """Report numbers ``user`` may see: those of the institutions he may see."""

    region_path = "institution__region__code"
    institution_path = "institution_id"
    inspector_path = "institution__inspection_tasks__assignments"


class TestReportNumber(models.Model):
    """A registered test-report number (报告编号), checkable by the public (seed 000 §16)."""

    __test__ = False  # not a pytest test class, despite the name

    number = models.CharField(_("report number"), max_length=64, unique=True)
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="report_numbers", verbose_name=_("institution"))
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="report_numbers", verbose_name=_("certificate"))
    issued_on = models.DateField(_("issued on"))
    registered_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)
    history = audited_history()

    objects = TestReportNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("test report number")
        verbose_name_plural = _("test report numbers")

    def __str__(self) -> str:
        return self.number
