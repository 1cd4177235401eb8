"""Password rules for staff accounts (等保 2.0 level 3 identity; OWASP ASVS 6.2).

Platform administrators, regulators and inspectors act for the state: their passwords have at
least ``STAFF_PASSWORD_MIN_LENGTH`` characters (default 12) and three of the four character
classes (lower case, upper case, digits, others). Institution users keep Django's defaults (8
characters, not common, not like the user's attributes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

STAFF_ROLES = ("admin", "regulator", "inspector")


def _classes(password: str) -> int:
    return sum([any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password)])


class StaffPasswordValidator:
    """Django password validator: longer passwords with mixed characters for staff roles.

    ``validate`` raises ``ValidationError`` (code ``staff_password_too_short`` or
    ``staff_password_too_simple``) for a staff user; does nothing for others or when the
    user is not known yet.
    """

    def __init__(self, min_length: int | None = None):
        self.min_length = min_length or getattr(settings, "STAFF_PASSWORD_MIN_LENGTH", 12)

    def validate(self, password: str, user=None) -> None:
        if user is None or not (getattr(user, "is_superuser", False)
                                or getattr(user, "role", None) in STAFF_ROLES):
            return
        if len(password) < self.min_length:
            raise ValidationError(ngettext(
                "A staff password has at least %(n)d character.",
                "A staff password has at least %(n)d characters.", self.min_length)
                % {"n": self.min_length}, code="staff_password_too_short")
        if _classes(password) < 3:
            raise ValidationError(_("A staff password mixes at least three of: lower-case "
                                    "letters, capitals, digits and other characters."),
                                  code="staff_password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Staff: at least %(n)d character, with three of lower case, capitals, digits and "
            "other characters.",
            "Staff: at least %(n)d characters, with three of lower case, capitals, digits and "
            "other characters.", self.min_length) % {"n": self.min_length}
