"""The audit log (``common.audit``): one append-only row per change and per security event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out")
    OTP_FAILED = "otp_failed", _("Wrong one-time code")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102 - append-only
        raise ValidationError(_("The audit log is append-only."))

    def delete(self):  # noqa: D102 - append-only
        raise ValidationError(_("The audit log is append-only."))


class AuditEvent(models.Model):
    """Who (``user_id``, ``username``), when (``at``), what (``kind``, ``model``,
    ``object_id``, ``history_id``: the historical row with the values) and from where
    (``ip_address``, ``source``: web, worker, command, system). ``user_id`` is a plain number,
    not a foreign key: the log outlives accounts and is never rewritten."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=14, choices=AuditKind.choices, db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, blank=True)
    model = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    history_id = models.BigIntegerField(_("history row"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.model} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The audit log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log is append-only."))
