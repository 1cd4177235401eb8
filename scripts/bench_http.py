#!/usr/bin/env python3
"""HTTP benchmark of the public certificate check against a bare Django view (run by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tic_bench \\
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python scripts/bench_http.py \\
        [--connections 64] [--seconds 5] [--rounds 5] [--target api|page] \\
        [--worker-class gthread --workers 2 --threads 8] [--rate 300] [--matrix] [--port 8113]

Brings the database to the national data set (``bench_national.py``), starts gunicorn with
``config/gunicorn.conf.py`` and ``config.bench_settings`` on ``--port``, and drives it from
this process with ``--connections`` concurrent HTTP/1.1 keep-alive connections (a client of
its own, asyncio; closed loop: each connection sends its next request when the answer has
arrived, or with ``--rate`` open loop: requests at that total rate, latency counted from when
each was due; a server that closes the connection is reconnected to, and that time counts). Phases
of ``--seconds`` alternate, in the same run, between the floor — ``/bench/bare/``, a Django
view through the same middleware that reads nothing — and the real endpoint, each request
for a random one of 2,000 registered certificate numbers:
``api`` ``/api/public/certificates/{number}/`` or ``page``
``/qualifications/certificates/check/?number=…``. Prints for each: requests per second (the
median of the rounds), p50 and p99 latency over all its requests, answers other than 200, and
the ratio real / bare. ``--matrix`` repeats that for several worker classes and counts and
prints one line each (how the gunicorn settings were chosen). The goal (issue 13): the real
endpoint at ≥ 50 % of the bare view's requests per second, p99 < 50 ms, 64 connections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_national import national_prepare  # noqa: E402  (sets Django up)

from qualifications.models import Certificate  # noqa: E402

BARE = "/bench/bare/"


class Phase:
    """The answers of one phase: latencies (seconds), statuses other than 200, duration, and
    the CPU seconds spent by each side (see :func:`_cpu`)."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.bad = 0
        self.errors = 0
        self.seconds = 0.0
        self.cpu: dict[str, float] = {}

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def _request(reader, writer, path: str, host: str) -> tuple[int, bool]:
    """Send one GET and read its answer; returns (status, server keeps the connection)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json, "
                 f"text/html\r\nAccept-Language: zh-CN\r\n\r\n".encode("ascii"))
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    keep = headers.get("connection") != "close"
    return status, keep


async def _client(port: int, paths, deadline: float, phase: Phase,
                  interval: float | None = None) -> None:
    """One connection's requests until ``deadline``: back to back (closed loop), or one every
    ``interval`` seconds (open loop; the latency then counts from the scheduled moment, so a
    late answer also delays what was due after it — no coordinated omission)."""
    host = f"127.0.0.1:{port}"
    reader = writer = None
    due = time.perf_counter() + (random.random() * interval if interval else 0.0)
    while time.perf_counter() < deadline:
        path = paths()
        if interval:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            t0, due = due, due + interval
        else:
            t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status, keep = await asyncio.wait_for(_request(reader, writer, path, host), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            phase.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        phase.latencies.append(time.perf_counter() - t0)
        if status != 200:
            phase.bad += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _pids(server_pid: int) -> dict[str, list[int]]:
    """The processes whose CPU is attributed: gunicorn's workers, the PostgreSQL backends of
    this database, Redis."""
    from django.db import connection

    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    workers = [int(p) for p in children.read_text().split()] if children.exists() else []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()")
        backends = [row[0] for row in cur.fetchall()]
    redis = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
             and (p / "comm").exists() and _comm(p) == "redis-server"]
    return {"django": workers, "postgres": backends, "redis": redis}


def _comm(p: Path) -> str:
    try:
        return (p / "comm").read_text().strip()
    except OSError:
        return ""


def _cpu(pids: dict[str, list[int]]) -> dict[str, float]:
    out = {kind: sum(_proc_cpu(p) for p in ps) for kind, ps in pids.items()}
    out["client"] = time.process_time()
    return out


async def _phase(port: int, paths, connections: int, seconds: float,
                 pids: dict[str, list[int]] | None = None, rate: float | None = None) -> Phase:
    phase = Phase()
    pids = pids or {}
    before = _cpu(pids)
    t0 = time.perf_counter()
    deadline = t0 + seconds
    interval = connections / rate if rate else None
    await asyncio.gather(*(_client(port, paths, deadline, phase, interval)
                           for _ in range(connections)))
    phase.seconds = time.perf_counter() - t0
    after = _cpu(pids)
    phase.cpu = {kind: after[kind] - before[kind] for kind in after}
    return phase


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _server(args, worker_class: str, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.bench_settings",
           "GUNICORN_WORKER_CLASS": worker_class, "GUNICORN_WORKERS": str(workers),
           "GUNICORN_THREADS": str(threads), "GUNICORN_BIND": f"127.0.0.1:{args.port}",
           "GUNICORN_MAX_REQUESTS": "0"}  # no worker replaced mid-run (its CPU is counted)
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py",
           "--no-control-socket"]
    if worker_class == "gevent":  # psycopg2 made cooperative in post_fork (gunicorn.conf.py)
        cmd += ["--worker-connections", str(max(args.connections, 100))]
    cmd.append("config.wsgi:application")
    log = Path(tempfile.gettempdir()) / f"bench_http_{args.port}.log"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=log.open("w"))
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}{BARE}", timeout=2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit(f"gunicorn did not answer on /bench/bare/ within 20 s (see {log})")


def _measure(args, numbers: list[str], server_pid: int) -> dict[str, list[Phase]]:
    if args.target == "api":
        def real():
            return f"/api/public/certificates/{random.choice(numbers)}/"
    else:
        def real():
            return f"/qualifications/certificates/check/?number={random.choice(numbers)}"

    def bare():
        return BARE

    kinds = {"bare": bare, "real": real}
    results: dict[str, list[Phase]] = {"bare": [], "real": []}
    for kind in ("bare", "real"):  # warm both: imports, connections, caches
        asyncio.run(_phase(args.port, kinds[kind], args.connections, 1.5))
    for n in range(args.rounds):
        order = ("bare", "real") if n % 2 == 0 else ("real", "bare")
        for kind in order:
            pids = _pids(server_pid)
            results[kind].append(asyncio.run(_phase(args.port, kinds[kind], args.connections,
                                                    args.seconds, pids, args.rate)))
    return results


def _summary(phases: list[Phase]) -> dict:
    latencies = [x for p in phases for x in p.latencies]
    cpu = {kind: sum(p.cpu.get(kind, 0.0) for p in phases) / max(len(latencies), 1) * 1000
           for kind in ("django", "postgres", "redis", "client")}
    return {"rate": statistics.median(p.rate for p in phases),
            "p50": _pct(latencies, 0.50) * 1000, "p99": _pct(latencies, 0.99) * 1000,
            "bad": sum(p.bad for p in phases), "errors": sum(p.errors for p in phases),
            "n": len(latencies), "cpu": cpu}


def _run(args, numbers, worker_class: str, workers: int, threads: int) -> tuple[dict, dict]:
    proc = _server(args, worker_class, workers, threads)
    try:
        results = _measure(args, numbers, proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    return _summary(results["bare"]), _summary(results["real"])


def _line(label: str, s: dict) -> str:
    cpu = "  ".join(f"{k} {v:.2f}" for k, v in s["cpu"].items())
    return (f"{label:<40} {s['rate']:6.0f} req/s  p50 {s['p50']:5.1f} ms  p99 {s['p99']:6.1f} ms"
            f"  non-200 {s['bad']}  errors {s['errors']}  ({s['n']} requests)\n"
            f"{'':<40} CPU ms per request: {cpu}")


#: gevent is left out: Django keeps a connection per greenlet, so 64 client connections open 64
#: PostgreSQL sessions per worker (past max_connections) unless a pooler sits in between.
MATRIX = [("sync", 2, 1), ("sync", 4, 1), ("sync", 8, 1), ("gthread", 2, 4),
          ("gthread", 2, 8), ("gthread", 2, 16), ("gthread", 4, 4), ("gthread", 4, 8)]


def main() -> None:
    defaults = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--target", choices=("api", "page"), default="api")
    parser.add_argument("--worker-class", default=defaults["worker_class"])
    parser.add_argument("--workers", type=int, default=defaults["workers"])
    parser.add_argument("--threads", type=int, default=defaults["threads"])
    parser.add_argument("--rate", type=float, default=None,
                        help="open loop: this many requests per second in all, spread over the "
                             "connections (default: closed loop, as fast as answered)")
    parser.add_argument("--matrix", action="store_true")
    parser.add_argument("--port", type=int, default=8113)
    parser.add_argument("--no-prepare", action="store_true")
    args = parser.parse_args()
    if not args.no_prepare:
        national_prepare(quiet=True)
    numbers = list(Certificate.objects.order_by("?").values_list("number", flat=True)[:2000])
    load = f"open loop at {args.rate:g} req/s" if args.rate else "closed loop"
    print(f"certificates: {Certificate.objects.count()}; {args.connections} connections, "
          f"{load}, {args.rounds} rounds of {args.seconds:g} s per endpoint, alternated; "
          f"target {args.target}")
    configs = MATRIX if args.matrix else [(args.worker_class, args.workers, args.threads)]
    for worker_class, workers, threads in configs:
        bare, real = _run(args, numbers, worker_class, workers, threads)
        label = f"{worker_class} {workers} workers" + (
            f" × {threads} threads" if worker_class == "gthread" else "")
        print(f"[{label}]")
        print(_line("  floor: bare Django view /bench/bare/", bare))
        print(_line(f"  certificate check ({args.target})", real))
        print(f"  ratio real / bare: {real['rate'] / bare['rate']:.0%} of the floor's req/s; "
              f"goal ≥ 50 %, p99 < 50 ms", flush=True)


if __name__ == "__main__":
    main()
