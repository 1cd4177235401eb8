"""Makers for valid registry codes (used by the demo generator and the test factories).

* USCC per GB 32100-2015 with an embedded organization code per GB 11714-1997.
* Certificate numbers per ``qualifications.validators`` (12 digits).
"""

from __future__ import annotations

from .validators import uscc_check_character

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body8: str) -> str:
    """GB 11714-1997 check character for an 8-digit organization code body."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def uscc_make(*, region_code: str, serial: int, enterprise: bool = True) -> str:
    """Build a valid 18-character USCC.

    ``region_code``: 6-digit division code; ``serial``: 0–99,999,999, becomes the organization
    code body; ``enterprise``: ``91`` (enterprise, registered by market regulation) or ``12``
    (public institution, registered by the establishment office).
    """
    body = f"{serial:08d}"
    first17 = ("91" if enterprise else "12") + region_code + body + org_code_check(body)
    return first17 + uscc_check_character(first17)


def certificate_number_make(*, year: int, authority: str, field: str, industry: str,
                            serial: int) -> str:
    """Build a 12-digit certificate number: YY AA FF II SSSS (``authority`` ``00`` = national)."""
    return f"{year % 100:02d}{authority}{field}{industry}{serial:04d}"
