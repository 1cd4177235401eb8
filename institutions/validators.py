"""Validators for registry identifiers.

* Unified social credit code: GB 32100-2015. 18 characters from the 31-character set
  ``0-9 A-H J-N P-R T U W X Y`` (no I, O, Z, S, V); position 18 is a check character computed
  with weights 3^(i) mod 31 over positions 1–17.
* Administrative division code: GB/T 2260, 6 digits.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters.

    Raises ``ValueError`` if a character is outside the code's character set.
    """
    if len(first17) != 17:
        raise ValueError("need 17 characters")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Return a translatable description of what is wrong with a USCC, or ``None`` if valid."""
    if len(value) != 18:
        return _("must be 18 characters, got %(n)d") % {"n": len(value)}
    bad = sorted({c for c in value if c not in _USCC_VALUE})
    if bad:
        return _("contains characters not allowed by GB 32100-2015: %(chars)s") % {
            "chars": "".join(bad)}
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        return _("check character is %(got)s, GB 32100-2015 gives %(expected)s") % {
            "got": value[17], "expected": expected}
    return None


def validate_uscc(value: str) -> None:
    """Django validator: raise ``ValidationError`` naming the problem with a USCC."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(_("Invalid unified social credit code: %(problem)s"),
                              code="invalid_uscc", params={"problem": problem})


def validate_region_code(value: str) -> None:
    """Django validator: a GB/T 2260 code is exactly 6 digits."""
    if len(value) != 6 or not value.isdigit():
        raise ValidationError(_("A division code is 6 digits."), code="invalid_region_code")
