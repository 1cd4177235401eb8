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
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import (
    _SIMPLE_KEYS,
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)
from rest_framework.throttling import BaseThrottle

Rate = str | Callable  # "30/m", or a callable (group, request) -> rate read at request time


def usage_count(request, *, group: str, rate: Rate) -> dict | None:
    """Count this request against ``group`` for the client IP; ``None`` when limits are off.

    Returns django-ratelimit's usage ``{count, limit, should_limit, time_left}``. On Redis the
    count is taken in one round trip (:func:`_redis_usage`) instead of django-ratelimit's
    three (``add``, then Django's ``incr``: ``exists`` and ``incr``), on the same key and
    window, so both count alike; on any other cache django-ratelimit counts itself.
    """
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not isinstance(cache, RedisCache) or not getattr(settings, "RATELIMIT_ENABLE", True):
        return get_usage(request, group=group, key="ip", rate=rate, increment=True)
    return _redis_usage(cache, request, group=group, rate=rate)


def _redis_usage(cache: RedisCache, request, *, group: str, rate: Rate) -> dict | None:
    """django-ratelimit's ``get_usage(key="ip", increment=True)`` in one pipelined round trip:
    ``SET key 0 EX ttl NX`` (the window's counter, created with its expiry) then ``INCR``."""
    if callable(rate):
        rate = rate(group, request)
    if rate is None:
        return None
    limit, period = _split_rate(rate)
    value = _SIMPLE_KEYS["ip"](request)
    window = _get_window(value, period)
    key = cache.make_and_validate_key(_make_cache_key(group, window, rate, value, ALL))
    client = cache._cache.get_client(key, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.set(key, 0, ex=period + EXPIRATION_FUDGE, nx=True)
    pipe.incr(key)
    count = pipe.execute()[1]
    return {"count": count, "limit": limit, "should_limit": count > limit,
            "time_left": window - int(time.time())}


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
