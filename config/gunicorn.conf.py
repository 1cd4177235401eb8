"""gunicorn's settings for the web service (``gunicorn -c config/gunicorn.conf.py
config.wsgi:application``; docker-compose's ``web``).

The worker class and counts were chosen by measurement on the reference machine (2 cores,
``scripts/bench_http.py``, figures in the README's benchmark section): threaded workers
(``gthread``) keep 64 client connections open with keep-alive and overlap the waits on
PostgreSQL and Redis, where sync workers make every client queue for a process and reconnect
for each request. Each thread keeps its own database connection (``CONN_MAX_AGE``), so the
database sees ``workers × threads`` connections per web container.

Environment (each optional): ``GUNICORN_BIND`` (``0.0.0.0:8000``), ``GUNICORN_WORKERS`` (default
:data:`workers`), ``GUNICORN_THREADS``, ``GUNICORN_WORKER_CLASS``, ``GUNICORN_TIMEOUT``
(seconds; a registry import of 60,000 rows takes about half a minute),
``GUNICORN_MAX_REQUESTS``.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number") from None


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
#: one process per core (the GIL: more processes than cores only add switching)
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = _int("GUNICORN_THREADS", 8)
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection is held (behind a proxy: above its own)
# A worker is replaced after this many requests (jittered, so not all at once): bounds the
# memory a long-lived process may gather.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)  # 0: never (the benchmarks)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"


def post_fork(server, worker):
    """With ``GUNICORN_WORKER_CLASS=gevent``: psycopg2 made cooperative (psycogreen, when
    installed), else every query would block the worker's other connections."""
    if worker_class == "gevent":
        try:
            from psycogreen.gevent import patch_psycopg
        except ImportError:
            server.log.warning("gevent workers without psycogreen: queries block the worker")
        else:
            patch_psycopg()


def post_worker_init(worker):
    """The application is loaded: move everything it allocated so far (modules, URL patterns,
    templates, translations) out of the garbage collector's generations (``gc.freeze``), so
    that a full collection during a request walks only what requests allocate — fewer and
    shorter pauses in the slowest answers."""
    import gc

    gc.collect()
    gc.freeze()
