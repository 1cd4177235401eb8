"""Qualification certificate numbers.

A CMA certificate number has 12 digits: 2-digit year of issue, 2-digit issuing authority
(``00`` for SAMR at the national level, else the province's 2-digit division code), 2-digit
testing field, 2-digit industry, 4-digit serial (registry convention, DOMAIN.md; seed 003 §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 "
    "64 65 71 81 82".split()
)


@dataclass(frozen=True)
class CertificateNumber:
    year: str
    authority: str
    field: str
    industry: str
    serial: str

    @property
    def is_national(self) -> bool:
        return self.authority == "00"


def certificate_number_problem(value: str) -> str | None:
    """Return a translatable description of what is wrong with a certificate number, or None."""
    if len(value) != 12 or not value.isdigit():
        return _("must be 12 digits, got %(value)r") % {"value": value}
    if value[2:4] != "00" and value[2:4] not in PROVINCE_CODES:
        return _("issuing authority segment %(seg)s is neither 00 (national) nor a province code") % {
            "seg": value[2:4]}
    if value[8:12] == "0000":
        return _("serial 0000 is not issued")
    return None


def parse_certificate_number(value: str) -> CertificateNumber:
    """Split a valid number into its segments; raise ``ValidationError`` if it is not valid."""
    validate_certificate_number(value)
    return CertificateNumber(value[0:2], value[2:4], value[4:6], value[6:8], value[8:12])


def validate_certificate_number(value: str) -> None:
    """Django validator: raise ``ValidationError`` naming the problem with a certificate number."""
    problem = certificate_number_problem(value)
    if problem:
        raise ValidationError(_("Invalid certificate number: %(problem)s"),
                              code="invalid_certificate_number", params={"problem": problem})
