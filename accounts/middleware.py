"""Session rules for staff: idle expiry and, where required, a second factor.

* Idle expiry (OWASP ASVS 7.3): an administrator, regulator or inspector idle for
  ``STAFF_SESSION_IDLE_MINUTES`` is logged out at his next request and sent to the login page
  with a message. The last activity is written at most once a minute, so a page does not cost
  a session write.
* Second factor (等保 2.0 level 3): with ``OTP_REQUIRED``, a platform administrator or
  regulator whose session is not verified by a one-time code reaches only the code pages
  (``otp_verify`` / ``otp_setup``), the logout, static files and the public
  pages; every staff page and the admin send him there first.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

STAFF_ROLES = ("admin", "regulator", "inspector")
#: seconds between two writes of the session's last activity (idle expiry is that precise)
LAST_SEEN_GRANULARITY = 60
#: paths a user with an unverified session may still open (prefixes, language prefix removed)
OTP_FREE = ("/accounts/", "/static/", "/i18n/", "/api/public/", "/api/v1/", "/api/schema/",
            "/api/docs/", "/health/", "/qualifications/", "/inspections/public/")


def _path(request) -> str:
    path = request.path_info
    return path[3:] if path.startswith("/en/") else path


def session_stamp(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: the session's last activity starts at the login (saved with it)."""
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = time.time()


class StaffSessionMiddleware:
    """See the module docstring. Runs after authentication and django-otp's middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            staff = user.is_superuser or user.role in STAFF_ROLES
            if staff:
                now = time.time()
                idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
                last = request.session.get("last_seen")
                if last is not None and now - last > idle:
                    logout(request)
                    messages.info(request, _("You were logged out after %(n)d minutes without "
                                             "activity.") % {"n": idle // 60})
                    return redirect_to_login(request.get_full_path())
                if last is None or now - last >= LAST_SEEN_GRANULARITY:
                    request.session["last_seen"] = now  # a session write at most each minute
            if (settings.OTP_REQUIRED and (user.is_superuser or user.role in ("admin",
                                                                               "regulator"))
                    and not user.is_verified() and _path(request) != "/"
                    and not _path(request).startswith(OTP_FREE)):
                return redirect(f"{reverse('otp_verify')}?next="
                                f"{request.get_full_path()}")
        return self.get_response(request)
