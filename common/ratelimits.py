"""Per-IP rate limits for public pages and the public API, on django-ratelimit.

One engine for pages and API: django-ratelimit, counting in the ``default`` cache (Redis in
production, so every worker shares the counters) and switched off by ``RATELIMIT_ENABLE``.

Why not DRF's ``AnonRateThrottle``: it needs ``DEFAULT_THROTTLE_RATES`` in settings, cannot be
switched off with ``RATELIMIT_ENABLE``, and would keep a second set of counters for the same
visitors. The API uses :class:`RateLimitThrottle`, a DRF throttle that asks django-ratelimit, so
it still answers the DRF way: 429 with ``Retry-After``. Pages use :func:`ratelimited_page`,
which answers 429 with a page (django-ratelimit's own ``block=True`` would raise
``PermissionDenied``, a 403). The key is the client IP (``REMOTE_ADDR``, or
``RATELIMIT_IP_META_KEY`` behind a proxy).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.shortcuts import render
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

Rate = str | Callable  # "30/m", or a callable (group, request) -> rate read at request time


def usage_count(request, *, group: str, rate: Rate) -> dict | None:
    """Count this request against ``group`` for the client IP; ``None`` when limits are off."""
    return get_usage(request, group=group, key="ip", rate=rate, increment=True)


def ratelimited_page(group: str, rate: Rate):
    """Decorator factory for a public page view limited per IP: past ``rate`` within ``group``
    it answers 429 with a short page (``ratelimited.html``) and ``Retry-After`` in seconds."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = usage_count(request, group=group, rate=rate)
            if usage and usage["should_limit"]:
                response = render(request, "ratelimited.html", status=429)
                response["Retry-After"] = str(max(usage["time_left"], 1))
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


class RateLimitThrottle(BaseThrottle):
    """DRF throttle counted per IP by django-ratelimit; subclasses set ``group`` and ``rate``."""

    group: str = ""
    rate: Rate = "60/m"

    def __init__(self) -> None:
        self._wait: int | None = None

    def allow_request(self, request, view) -> bool:
        usage = usage_count(request._request, group=self.group, rate=type(self).rate)
        if usage and usage["should_limit"]:
            self._wait = max(usage["time_left"], 1)
            return False
        return True

    def wait(self) -> int | None:
        return self._wait
