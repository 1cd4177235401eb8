import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The bottom layer: plumbing that no domain app owns (admin mixins, rate limits, the
    garbage-collector pause, the signed public ledger's primitives, the audit log). It imports
    no domain app."""

    name = "common"
    verbose_name = _("Platform plumbing")

    def ready(self):
        """Write the audit log: historical rows of every model, logins and lockouts."""
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from simple_history.signals import (
            post_create_historical_record,
            pre_create_historical_record,
        )

        from . import audit

        pre_create_historical_record.connect(audit.on_pre_create_historical_record,
                                             dispatch_uid="audit_pre_history")
        post_create_historical_record.connect(audit.on_post_create_historical_record,
                                              dispatch_uid="audit_post_history")

        def logged_in(sender, request, user, **kwargs):
            audit.audit_security_event(request, kind="login", user=user)

        def logged_out(sender, request, user, **kwargs):
            audit.audit_security_event(request, kind="logout", user=user)

        def login_failed(sender, credentials, request=None, **kwargs):
            audit.audit_security_event(request, kind="login_failed",
                                       username=credentials.get("username", ""))

        def locked_out(sender, request, username=None, ip_address=None, **kwargs):
            audit.audit_security_event(request, kind="locked_out", username=username or "")

        user_logged_in.connect(logged_in, weak=False, dispatch_uid="audit_login")
        user_logged_out.connect(logged_out, weak=False, dispatch_uid="audit_logout")
        user_login_failed.connect(login_failed, weak=False, dispatch_uid="audit_login_failed")
        user_locked_out.connect(locked_out, weak=False, dispatch_uid="audit_locked_out")
        audit.command_source_set(sys.argv)
