"""Rate limits of the public certificate and report-number checks (seed 000 §16).

Per IP, on :mod:`common.ratelimits`: ``QUALIFICATIONS_PUBLIC_PAGE_RATE`` (default 30 per
minute) for the pages, ``QUALIFICATIONS_PUBLIC_API_RATE`` (default 60 per minute) for the API,
read at request time so tests can override them.
"""

from __future__ import annotations

from django.conf import settings

from common.ratelimits import RateLimitThrottle, ratelimited_page

PAGE_GROUP = "qualifications.public_pages"
API_GROUP = "qualifications.public_api"
DEFAULT_PAGE_RATE = "30/m"
DEFAULT_API_RATE = "60/m"


def _page_rate(group, request) -> str:
    return getattr(settings, "QUALIFICATIONS_PUBLIC_PAGE_RATE", DEFAULT_PAGE_RATE)


def _api_rate(group, request) -> str:
    return getattr(settings, "QUALIFICATIONS_PUBLIC_API_RATE", DEFAULT_API_RATE)


#: the certificate / report-number check pages
public_ratelimit = ratelimited_page(PAGE_GROUP, _page_rate)


class PublicQueryThrottle(RateLimitThrottle):
    """The public API's throttle: 429 with ``Retry-After`` past ``QUALIFICATIONS_PUBLIC_API_RATE``."""

    group = API_GROUP
    rate = staticmethod(_api_rate)
