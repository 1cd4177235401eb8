"""Settings of the HTTP benchmarks (``scripts/bench_http.py``), never of a deployment.

Everything of ``config.settings``, plus one route that production does not have: the floor the
benchmarks measure against, ``/bench/bare/`` (:func:`config.bench_urls.bare`), a Django view
through the same middleware that answers a constant JSON body without touching the database or
the cache. The public limits are raised so that one client address is never answered 429, but
still counted (the counter's cost is part of what is measured).
"""

import os

os.environ.setdefault("DEBUG", "0")

from .settings import *  # noqa: E402,F403

ROOT_URLCONF = "config.bench_urls"
QUALIFICATIONS_PUBLIC_PAGE_RATE = QUALIFICATIONS_PUBLIC_API_RATE = "1000000000/m"
OPEN_API_RATE = "1000000000/m"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
