"""``common.ratelimits.usage_count``: on Redis one pipelined round trip on django-ratelimit's own
key and window, so both count the same requests; elsewhere django-ratelimit itself."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from common.ratelimits import usage_count

GROUP = "tests.ratelimits"


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def _request(ip: str = "10.1.2.3"):
    return RequestFactory().get("/", REMOTE_ADDR=ip)


def test_counts_per_address_and_limits_past_the_rate(limits_on):
    counts = [usage_count(_request(), group=GROUP, rate="3/d") for _ in range(4)]
    assert [u["count"] for u in counts] == [1, 2, 3, 4]
    assert [u["should_limit"] for u in counts] == [False, False, False, True]
    assert all(1 <= u["time_left"] <= 86400 for u in counts)
    assert usage_count(_request("10.9.9.9"), group=GROUP, rate="3/d")["count"] == 1


def test_the_counter_is_django_ratelimits_own(limits_on):
    """django-ratelimit reading the same group sees our count, and counts on from it."""
    for _ in range(2):
        usage_count(_request(), group=GROUP, rate="5/d")
    assert get_usage(_request(), group=GROUP, key="ip", rate="5/d")["count"] == 2
    get_usage(_request(), group=GROUP, key="ip", rate="5/d", increment=True)
    assert usage_count(_request(), group=GROUP, rate="5/d")["count"] == 4


def test_the_window_expires_in_redis(limits_on):
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("Redis only (REDIS_URL)")
    usage_count(_request(), group=GROUP, rate="5/m")
    client = caches["default"]._cache.get_client(write=False)
    keys = [k for k in client.keys("*") if b"rl:" in k]
    assert keys and all(0 < client.ttl(k) <= 60 + 60 for k in keys)


def test_off_when_disabled(settings):
    settings.RATELIMIT_ENABLE = False
    assert usage_count(_request(), group=GROUP, rate="1/d") is None
