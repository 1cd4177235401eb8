"""Production settings: ``DJANGO_SETTINGS_MODULE=config.production`` behind a TLS-terminating
proxy that sets ``X-Forwarded-Proto``.

Everything of ``config.settings`` (read from the environment), plus: ``DEBUG`` off, a provided
``SECRET_KEY`` (or ``SECRET_KEY_FILE``) required, HTTPS only (redirect, HSTS a year with
subdomains and preload, secure session and CSRF cookies), the ledger key provisioned, never
created. ``manage.py check --deploy`` with these settings prints no warning
(``tests/test_deploy_check.py``).
"""

import os

os.environ.setdefault("REQUIRE_SECRET_KEY", "1")
os.environ.setdefault("HTTPS", "1")
os.environ.setdefault("LEDGER_SIGNING_KEY_CREATE", "0")

from .settings import *  # noqa: E402,F403
from .settings import DEBUG  # noqa: E402

if DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG must be off with config.production")
