"""The national data set every benchmark runs on, prepared once per database (run by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tic_bench .venv/bin/python \\
        scripts/bench_national.py [--institutions 60000] [--inspectors 20000] \\
        [--certificates 100000]

:func:`national_prepare` migrates, loads the reference data, imports a generated registry
workbook of ``institutions`` rows through the import service (one certificate per row), creates
``inspectors`` inspectors (``loaders.inspectors``) and adds older certificates of the same
institutions (issued 2013–2018, six years each, so most are expired; number segments as the
generator's) until the table holds ``certificates``. Idempotent: what is there already is kept.
The benchmarks (``bench_draw.py``, ``bench_http.py``, ``bench_search.py``) import it; it refuses a
database whose name has neither "bench" nor "test".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from institutions.codes import certificate_number_make  # noqa: E402
from institutions.models import Institution  # noqa: E402
from loaders.registry.generator import valid_until_for  # noqa: E402
from qualifications.models import Certificate, CertificateStatus  # noqa: E402

NATIONAL = {"institutions": 60000, "inspectors": 20000, "certificates": 100000}


def database_guard() -> None:
    """Exit unless the database's name says it is for benchmarks or tests."""
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and "test" not in name:
        sys.exit(f"refusing database {name!r}: its name has neither 'bench' nor 'test'")


def _older_certificates(missing: int, seed: int = 2013) -> int:
    """Add ``missing`` certificates issued 2013–2018 to the registered institutions."""
    rng = random.Random(seed)
    rows = list(Institution.objects.order_by("id").values_list("id", "region_id",
                                                             "primary_field__code"))
    taken = set(Certificate.objects.filter(number__lt="19").values_list("number", flat=True))
    serials: dict[tuple, int] = {}
    today = dt.date.today()
    batch: list[Certificate] = []
    made = 0
    while made < missing:
        inst_id, region, field = rows[made % len(rows)]
        issued = dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        authority = "00" if rng.random() < 0.05 else region[:2]
        industry = f"{rng.randint(1, 30):02d}"
        key = (issued.year, authority, field, industry)
        serials[key] = serials.get(key, 0) + 1
        number = certificate_number_make(year=issued.year, authority=authority, field=field,
                                         industry=industry, serial=serials[key])
        if number in taken or serials[key] > 9999:
            continue
        taken.add(number)
        until = valid_until_for(issued)
        batch.append(Certificate(
            number=number, institution_id=inst_id, issuing_authority="市场监管总局"
            if authority == "00" else "省市场监管局", issued_on=issued, valid_until=until,
            status=CertificateStatus.EXPIRED if until < today else CertificateStatus.VALID))
        made += 1
        if len(batch) == 5000 or made == missing:
            with transaction.atomic():
                Certificate.objects.bulk_create(batch)
            batch = []
    return made


def national_prepare(*, institutions: int = NATIONAL["institutions"],
                     inspectors: int = NATIONAL["inspectors"],
                     certificates: int = NATIONAL["certificates"], quiet: bool = False) -> None:
    """Bring the database to the national data set (see the module docstring)."""
    database_guard()
    say = (lambda *a: None) if quiet else print
    call_command("migrate", verbosity=0)
    from loaders.inspectors import inspectors_generate
    from loaders.reference import reference_data_load

    reference_data_load()
    if Institution.objects.count() < institutions:
        from loaders.registry.generator import registry_workbook_write
        from loaders.registry.service import registry_import

        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.xlsx"
            registry_workbook_write(path, count=institutions)
            with path.open("rb") as fh:
                result = registry_import(file=fh, filename=path.name)
        say(f"prepared registry: {result.status}, {Institution.objects.count()} institutions "
            f"({time.perf_counter() - t0:.0f} s)")
    from inspections.models import Inspector

    if Inspector.objects.count() < inspectors:
        inspectors_generate(count=inspectors)
        say(f"prepared inspectors: {Inspector.objects.count()}")
    have = Certificate.objects.count()
    if have < certificates:
        say(f"prepared older certificates: {_older_certificates(certificates - have)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for key, default in NATIONAL.items():
        parser.add_argument(f"--{key}", type=int, default=default)
    args = parser.parse_args()
    national_prepare(institutions=args.institutions, inspectors=args.inspectors,
                     certificates=args.certificates)
    from inspections.models import Inspector

    print(f"{connection.settings_dict['NAME']}: {Institution.objects.count()} institutions, "
          f"{Inspector.objects.count()} inspectors, {Certificate.objects.count()} certificates")


if __name__ == "__main__":
    main()
