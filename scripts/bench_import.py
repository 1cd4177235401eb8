"""Benchmark the registry import: generate a 60,000-row workbook, time ``registry_import``.

Usage (the database must be migrated and hold the reference data)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tic_bench_a \\
        .venv/bin/python scripts/bench_import.py --clear [--count 60000] [--reimport] \\
        [--history sql,orm,none]

Prints the floor first: the reader's own time (every row read, nothing validated or written),
with python-calamine (what the import uses) and with openpyxl; then, per import, rows,
seconds, rows/s and the peak RSS of this process (the workbook is generated in a child process
so its memory is not counted). The service logs the split (read and validate, write). ``--clear`` empties the institution and
certificate tables first (TRUNCATE … CASCADE on PostgreSQL) and refuses unless the database name
contains "bench" or "test". ``--reimport`` times a second import of the same file (all rows
unchanged). ``--update-run`` then changes the phone of every stored institution and the
issuing authority of every certificate in the database and times an import that updates all
rows back. ``--history`` lists the history modes of ``registry_plan_write`` to time, each on
cleared tables (the default ``sql`` only; ``orm`` is simple_history's ``bulk_history_create``,
``none`` writes no history).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from institutions.models import Institution  # noqa: E402
from loaders.registry import service  # noqa: E402
from loaders.registry.writer import registry_plan_write  # noqa: E402
from qualifications.models import Certificate  # noqa: E402

_TABLES = [Certificate.fields.through, Certificate.history.model, Certificate,
           Institution.fields.through, Institution.history.model, Institution]


def _clear() -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and "test" not in name:
        sys.exit(f"refusing to clear database {name!r}: its name has neither 'bench' nor 'test'")
    from django.apps import apps

    tables = [m._meta.db_table for m in _TABLES] + [
        apps.get_model("institutions", "HistoricalInstitution_fields")._meta.db_table,
        apps.get_model("qualifications", "HistoricalCertificate_fields")._meta.db_table]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables)
                        + " CASCADE")
        else:
            for t in tables:
                cur.execute(f"DELETE FROM {connection.ops.quote_name(t)}")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read_floor(path: Path, *, calamine: bool) -> tuple[float, int]:
    """Seconds to read every row of ``path`` through the reader alone (no validation, no
    writes): the floor of an import. ``calamine``: python-calamine's reading, else
    openpyxl's (``loaders.registry.fast_xlsx`` / ``xlsx``)."""
    from loaders.registry import reader

    original = reader.calamine_rows
    if not calamine:
        reader.calamine_rows = lambda *args: None
    try:
        t0 = time.perf_counter()
        with path.open("rb") as fh, reader.registry_rows_open(file=fh,
                                                              filename=path.name) as rows:
            n = sum(1 for _ in rows)
        return time.perf_counter() - t0, n
    finally:
        reader.calamine_rows = original


def _run(path: Path, label: str) -> None:
    t0 = time.perf_counter()
    with path.open("rb") as fh:
        record = service.registry_import(file=fh, filename=path.name, user=None)
    seconds = time.perf_counter() - t0
    if not record.succeeded:
        print(record.problems[:5])
        sys.exit(f"{label}: rejected with {record.problem_count} problems")
    print(f"{label}: rows={record.row_count} seconds={seconds:.1f} "
          f"rows/s={record.row_count / seconds:,.0f} created={record.created_count} "
          f"updated={record.updated_count} unchanged={record.unchanged_count} "
          f"peak_rss_mb={_peak_rss_mb():.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--clear", action="store_true")
    parser.add_argument("--reimport", action="store_true")
    parser.add_argument("--update-run", action="store_true")
    parser.add_argument("--history", default="sql",
                        help="comma-separated history modes to time: sql, orm, none")
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"registry-{args.count}.xlsx"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "generate_registry",
                        "--count", str(args.count), "--seed", str(args.seed), "--out", str(path)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"generate: rows={args.count} seconds={time.perf_counter() - t0:.1f} "
              f"size_mb={path.stat().st_size / 2**20:.1f}")
        for calamine in (True, False):
            seconds, n = _read_floor(path, calamine=calamine)
            print(f"floor: the reader alone ({'python-calamine' if calamine else 'openpyxl'}): "
                  f"rows={n - 1} seconds={seconds:.1f}")
        original = service.registry_plan_write
        for n, mode in enumerate(args.history.split(",")):
            if args.clear or n:
                _clear()
            service.registry_plan_write = (
                lambda mode=mode, **kw: registry_plan_write(**kw, history=mode))
            try:
                _run(path, f"import (history={mode})")
                if args.reimport and n == 0:
                    _run(path, "re-import, unchanged")
                if args.update_run and n == 0:
                    Institution.objects.update(contact_phone="0")
                    Certificate.objects.update(issuing_authority="?")
                    _run(path, "re-import, every row updated")
            finally:
                service.registry_plan_write = original


if __name__ == "__main__":
    main()
