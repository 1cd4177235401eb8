"""Identity, sessions and headers (star-imported at the end of ``config.settings``).

Anchors: OWASP ASVS 5.0 level 2 (6.3 brute force, 7.x sessions, 3.4 headers), 等保 2.0 level 3
(identity), Django's deployment checklist. Each value can be set from the environment; a
malformed one stops start-up naming the variable (``config.envcheck``).

* Brute force (django-axes): ``AXES_FAILURE_LIMIT`` failures (default 5) lock the account and,
  separately, the address for ``AXES_COOLOFF_MINUTES`` (default 30); the attempt after the limit
  is refused even with the right password. Site login and admin alike.
* Sessions: staff (administrators, regulators, inspectors) are logged out after
  ``STAFF_SESSION_IDLE_MINUTES`` of inactivity (default 30; ``accounts.middleware``); every
  session ends after ``SESSION_HOURS`` (default 8) and when the browser closes.
* Second factor (django-otp, TOTP): with ``OTP_REQUIRED=1`` platform administrators and
  regulators confirm a one-time code after the password (``accounts.otp``).
* Headers (django-csp): a Content-Security-Policy with no ``unsafe-inline``: scripts, styles,
  fonts and images from this origin only. With ``HTTPS=1`` (production behind a TLS proxy):
  HSTS a year with subdomains and preload, SSL redirect trusting ``X-Forwarded-Proto``, secure
  session and CSRF cookies (``config.production`` sets it).
"""

from __future__ import annotations

from datetime import timedelta

from .envcheck import StrictEnv

_env = StrictEnv()

# --- brute force (django-axes) -------------------------------------------------------------
AXES_FAILURE_LIMIT = _env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=_env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each locks on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = _env.bool("AXES_ENABLED", default=True)
# Behind N proxies that append to X-Forwarded-For, the client is the N-th address from the right
# (common.audit.client_ip); 0: REMOTE_ADDR. Locks, limits and the audit log use that address.
TRUSTED_PROXY_COUNT = _env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.audit.client_ip"
RATELIMIT_IP_META_KEY = "common.audit.client_ip"

# --- sessions ---------------------------------------------------------------------------------
STAFF_SESSION_IDLE_MINUTES = _env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = _env.int("SESSION_HOURS", default=8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- second factor (django-otp) -------------------------------------------------------------
OTP_REQUIRED = _env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "TIC supervision platform"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device key or its QR code

# --- headers ----------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probed over plain HTTP inside the network
HTTPS = _env.bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
AXES_VERBOSE = False
