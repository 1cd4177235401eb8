"""Users, roles and the jurisdiction each role sees.

Roles (DOMAIN.md, "Who uses it"):

* ``admin`` — platform administrator, sees everything;
* ``regulator`` — member of an authority that has a region; sees institutions inside that region
  and what hangs off them;
* ``inspector`` — sees his own inspection tasks (linked through ``inspections.Inspector.user``);
* ``institution`` — sees and edits only his institution's data and submissions.

The public has no account: anonymous requests see only what is published.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.audit import audited_history

from .scoping import ScopedQuerySet


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform administrator")
    REGULATOR = "regulator", _("Regulator")
    INSPECTOR = "inspector", _("Inspector")
    INSTITUTION = "institution", _("Institution user")


class UserQuerySet(ScopedQuerySet):
    """Accounts ``user`` may see: admin all; a regulator the accounts of the authorities and
    institutions inside his region; anyone else himself."""

    def for_regulator(self, user, prefix: str) -> UserQuerySet:
        if prefix == "":
            return self.all()
        return self.filter(Q(authority__region__code__startswith=prefix)
                           | Q(institution__region__code__startswith=prefix))

    def for_institution(self, user) -> UserQuerySet:
        return self.filter(pk=user.pk)

    def for_inspector(self, user) -> UserQuerySet:
        return self.filter(pk=user.pk)


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (``create_user``…) with the scoping selector."""


class User(AbstractUser):
    """A platform account with one role and, depending on it, an authority or an institution."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REGULATOR)
    authority = models.ForeignKey(
        "inspections.Authority", verbose_name=_("authority"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
        help_text=_("For regulators and inspectors: the authority the user works for."),
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
        help_text=_("For institution users: the institution the user acts for."),
    )
    history = audited_history(excluded_fields=["password", "last_login"])

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_regulator(self) -> bool:
        return self.role == Role.REGULATOR and self.authority_id is not None

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.INSPECTOR

    @property
    def is_institution_user(self) -> bool:
        return self.role == Role.INSTITUTION and self.institution_id is not None
