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

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common import clock
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
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("The language of the mails the platform sends this user."))
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


class NotificationQuerySet(ScopedQuerySet):
    """A user's inbox: his own notifications, whatever his role (an administrator too: an inbox
    is personal, not a record of the platform)."""

    def for_user(self, user) -> NotificationQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message of the in-site inbox (and its mail): an event that asks the recipient to act.

    ``kind`` names a registered kind (``accounts.notifications``) whose title and body are
    rendered in the reader's language from ``params``; ``key`` identifies the event, so the same
    event never reaches the same person twice (unique per recipient); ``url`` is the page that
    acts on it (a path without the language prefix).
    """

    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=48)
    key = models.CharField(_("event key"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=clock.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind}"

    @property
    def title(self) -> str:
        """The title in the active language."""
        from .notifications import render

        return render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        """The body in the active language."""
        from .notifications import render

        return render(self.kind, self.params)[1]
