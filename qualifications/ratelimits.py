"""Per-IP rate limits for the public certificate / report-number checks (seed 000 §16).

One engine for pages and API: django-ratelimit, counting in the ``default`` cache (Redis in
production, so every worker shares the counters) and switched off by ``RATELIMIT_ENABLE``.

Why not DRF's ``AnonRateThrottle``: it needs ``DEFAULT_THROTTLE_RATES`` in settings, cannot be
switched off with ``RATELIMIT_ENABLE``, and would keep a second set of counters for the same
visitors. The API uses :class:`PublicQueryThrottle`, a DRF throttle that asks django-ratelimit, so
it still answers the DRF way: 429 with ``Retry-After``. Pages use :func:`public_ratelimit`, which
answers 429 with a page (django-ratelimit's own ``block=True`` would raise ``PermissionDenied``,
a 403).

Rates: ``QUALIFICATIONS_PUBLIC_PAGE_RATE`` (default 30 per minute) and
``QUALIFICATIONS_PUBLIC_API_RATE`` (default 60 per minute), read at request time so tests can
override them. The key is the client IP (``REMOTE_ADDR``, or ``RATELIMIT_IP_META_KEY`` behind a
proxy).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

PAGE_GROUP = "qualifications.public_pages"
API_GROUP = "qualifications.public_api"
DEFAULT_PAGE_RATE = "30/m"
DEFAULT_API_RATE = "60/m"


def _page_rate(group, request) -> str:
    return getattr(settings, "QUALIFICATIONS_PUBLIC_PAGE_RATE", DEFAULT_PAGE_RATE)


def _api_rate(group, request) -> str:
    return getattr(settings, "QUALIFICATIONS_PUBLIC_API_RATE", DEFAULT_API_RATE)


def usage_count(request, *, group: str, rate) -> dict | None:
    """Count this request against ``group`` for the client IP; ``None`` when limits are off."""
    return get_usage(request, group=group, key="ip", rate=rate, increment=True)


def ratelimited_page(group: str, rate):
    """Decorator factory for a public page view limited per IP: past ``rate`` (a rate string,
    or a callable ``(group, request) -> str`` read at request time) within ``group`` it answers
    429 with a short page and ``Retry-After``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = usage_count(request, group=group, rate=rate)
            if usage and usage["should_limit"]:
                response = render(request, "qualifications/ratelimited.html", status=429)
                response["Retry-After"] = str(max(usage["time_left"], 1))
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


#: the certificate / report-number check pages
public_ratelimit = ratelimited_page(PAGE_GROUP, _page_rate)


class PublicQueryThrottle(BaseThrottle):
    """DRF throttle for the public API, counted per IP by django-ratelimit (see module doc)."""

    def __init__(self) -> None:
        self._wait: int | None = None

    def allow_request(self, request, view) -> bool:
        usage = usage_count(request._request, group=API_GROUP, rate=_api_rate)
        if usage and usage["should_limit"]:
            self._wait = max(usage["time_left"], 1)
            return False
        return True

    def wait(self) -> int | None:
        return self._wait
