"""The admin faces of two third-party apps, in the platform's languages.

django-axes ships no Simplified Chinese catalogue and django-otp marks none of its admin text
for translation, so the admin showed "AXES", "Access attempts" and "TOTP devices" in English on
a Chinese page. Here: their app names (:class:`AxesConfig`, :class:`TOTPConfig`, named in
``INSTALLED_APPS`` in place of the apps' own configs), django-axes' own msgids listed for
``makemessages`` (so the project's catalogue translates them; Django looks a msgid up in every
catalogue, the project's first), and the TOTP device's names set translatable at start-up.
"""

from __future__ import annotations

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as BaseTOTPConfig

#: django-axes' user-facing msgids (axes/models.py, axes/admin.py, 8.x), for makemessages
AXES_MSGIDS = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]


class AxesConfig(BaseAxesConfig):
    """django-axes, named "Login attempts" in the admin."""

    verbose_name = _("Login attempts")


class TOTPConfig(BaseTOTPConfig):
    """django-otp's TOTP devices, named "Second factor" / "second-factor device"."""

    verbose_name = _("Second factor")

    def ready(self):
        """Give the device model and the fields the admin lists translatable names."""
        super().ready()
        model = self.get_model("TOTPDevice")
        model._meta.verbose_name = _("second-factor device")
        model._meta.verbose_name_plural = _("second-factor devices")
        for name, label in {"user": _("user"), "name": _("name"),
                            "confirmed": _("confirmed"), "created_at": _("created at"),
                            "last_used_at": _("last used at")}.items():
            model._meta.get_field(name).verbose_name = label
