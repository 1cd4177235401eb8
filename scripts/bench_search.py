#!/usr/bin/env python3
"""Benchmark the institution name search at national scale, against its floor (run by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tic_bench .venv/bin/python \\
        scripts/bench_search.py [--reps 30]

Brings the database to the national data set (``bench_national.py``: 60,000 institutions), then
times, in this process through Django's WSGI handler (the whole request: middleware, queries,
template or JSON; no network), one client:

* the public lookup ``/qualifications/institutions/?q=…`` and the open-data list
  ``/api/v1/institutions/?name=…`` for queries from very common (检测: 70 % of the names) to
  rare, one to four characters a word, one or two words;
* the floor, alternated with them in the same run: the lookup page for an exact USCC (one
  unique-index lookup, one result card) and the open-data list's first page unfiltered (its
  count and 50 rows in USCC order: what the list costs without a search).

Prints per query the matches, median and p95 (ms), and the p95 over all queries of each
endpoint next to its floor. Goal (issue 13): p95 < 50 ms at 60,000 institutions.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_national import national_prepare  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from institutions.models import Institution  # noqa: E402

QUERIES = ["检测", "检测 有限公司", "广州", "广州 检测", "华测", "深圳 环境", "计量", "质量 监督",
           "计量检测", "国家 中心", "食品检验", "杭州市 建设工程"]
LOOKUP = "/qualifications/institutions/"
OPEN_LIST = "/api/v1/institutions/"


def _environ(path: str, params: dict) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(params),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "zh-CN",
            "HTTP_ACCEPT": "text/html,application/json", "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.errors": sys.stderr}


def _time(app, path: str, params: dict) -> float:
    statuses = []
    t0 = time.perf_counter()
    body = app(_environ(path, params), lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    elapsed = time.perf_counter() - t0
    assert statuses[0].startswith("200"), (path, params, statuses)
    return elapsed


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    national_prepare(quiet=True)
    settings.RATELIMIT_ENABLE = False  # one client address: counted, it would be refused
    app = WSGIHandler()
    uscc = Institution.objects.order_by("?").values_list("uscc", flat=True)[0]
    from qualifications.search import name_search

    print(f"institutions: {Institution.objects.count()}; {args.reps} requests per query and "
          f"endpoint, alternated with the floor (an exact USCC)")
    endpoints = {"lookup page": (LOOKUP, "q"), "open-data list": (OPEN_LIST, "name")}
    totals: dict[str, list[float]] = {name: [] for name in endpoints}
    floors: dict[str, list[float]] = {name: [] for name in endpoints}
    rows = []
    for query in QUERIES:
        found = name_search(Institution.objects.all(), query=query)
        timings: dict[str, list[float]] = {name: [] for name in endpoints}
        for path, param in endpoints.values():
            _time(app, path, {param: query})  # warm
        for _ in range(args.reps):
            for name, (path, param) in endpoints.items():
                floors[name].append(_time(app, path, {param: uscc} if path == LOOKUP else {}))
                timings[name].append(_time(app, path, {param: query}))
        for name, values in timings.items():
            totals[name].extend(values)
        rows.append((query, f"{'>' if found.more else ''}{found.count}", timings))
    print(f"{'query':<16} {'matches':>8}  " + "  ".join(
        f"{name + ' median / p95 ms':>32}" for name in endpoints))
    for query, count, timings in rows:
        cells = "  ".join(f"{statistics.median(v) * 1000:>21.1f} / {_p95(v) * 1000:>6.1f}"
                          for v in timings.values())
        print(f"{query:<16} {count:>8}  {cells}")
    for name in endpoints:
        print(f"{name}: p95 over all queries {_p95(totals[name]) * 1000:.1f} ms, median "
              f"{statistics.median(totals[name]) * 1000:.1f} ms; floor p95 "
              f"{_p95(floors[name]) * 1000:.1f} ms, median "
              f"{statistics.median(floors[name]) * 1000:.1f} ms; goal p95 < 50 ms")


if __name__ == "__main__":
    main()
