"""The jurisdiction rule every scoping selector uses.

A regulator sees what lies inside his authority's region: the region's 6-digit code
(GB/T 2260) gives a prefix — 2 digits for a province (``44`` for 440000), 4 for a city
(``4401`` for 440100), 6 for a county. A national authority (no region, or ``000000``) sees the
whole country. Each model's ``QuerySet.for_user(user)`` calls :func:`region_prefix_for`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

ALL = ""  # prefix matching every region code
NOTHING = None  # the user sees nothing through the region rule


def region_code_prefix(code: str | None) -> str:
    """Return the significant prefix of a 6-digit division code.

    ``"440000"`` → ``"44"``, ``"440100"`` → ``"4401"``, ``"440103"`` → ``"440103"``,
    ``None``/``"000000"`` → ``""`` (the whole country).
    """
    if not code or code == "000000":
        return ALL
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_prefix_for(user: User | None) -> str | None:
    """Return the region-code prefix a user sees, ``""`` for everything, ``None`` for nothing.

    Admins see all; a regulator sees his authority's region; other roles get ``None`` (their
    scope is not regional: inspectors see their tasks, institution users their institution).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_platform_admin:
        return ALL
    if user.is_regulator:
        authority = user.authority
        return region_code_prefix(authority.region_id if authority else None)
    return NOTHING
