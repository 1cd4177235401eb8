"""The registry import service: validate the whole sheet, then write it in one transaction.

Why not django-import-export for the import: its row-by-row ``Resource.import_data`` (one
``save()`` plus M2M ``set()`` and history per row) takes many minutes for 60,000 rows with two
M2M tables; this path validates everything first and writes in bulk. django-import-export is
used for the export only (``institutions.registry.resources``).
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import region_prefix_for
from institutions.models import RegistryImport, RegistryImportStatus

from .problems import Problems, text_safe
from .reader import RegistryFileError, registry_rows_open
from .validation import registry_plan_build
from .writer import registry_plan_write

logger = logging.getLogger(__name__)


def registry_import(*, file, filename: str, user=None) -> RegistryImport:
    """Import a registry sheet (.xlsx or UTF-8 CSV) and return the saved :class:`RegistryImport`.

    ``file``: a binary, seekable file-like object (an uploaded file, ``open(path, "rb")``);
    ``filename``: its name, whose extension selects the format; ``user``: the importer, whose
    jurisdiction bounds the rows (``accounts.scoping.region_prefix_for``; a regulator only
    inside his authority's region), or ``None`` for the management command (no bound).

    All or nothing: if any problem is found (bad header, any invalid cell, a row outside the
    jurisdiction, a conflict with stored data, an unreadable file, a file beyond the upload
    limits of ``loaders.registry.limits``) nothing is written and the record has status
    ``rejected`` and the report; else institutions and certificates are created or updated
    (upsert by USCC / certificate number) in one transaction and the status is ``succeeded``.
    Never raises for a bad file (an unexpected failure while reading one is logged and
    reported as a problem of the file); database errors other than a refused write propagate.
    """
    filename = text_safe(filename or "")
    record = RegistryImport(file_name=filename[:255], started_at=timezone.now(),
                            uploaded_by=user if user is not None and user.is_authenticated
                            else None)
    problems = Problems()
    prefix = "" if user is None else region_prefix_for(user)
    plan = None
    t0 = time.perf_counter()
    write_seconds = 0.0
    if prefix is None:
        problems.add(None, None, _("Your account has no jurisdiction to import institutions."))
    else:
        try:
            with registry_rows_open(file=file, filename=filename) as rows:
                plan = registry_plan_build(rows=rows, problems=problems, prefix=prefix)
        except RegistryFileError as exc:
            problems.add(None, None, str(exc))
        except DatabaseError:
            raise
        except Exception as exc:  # a bad file must never end in a server error
            logger.exception("registry import %s: reading failed", filename)
            problems.add(None, None, _("The file could not be read (%(error)s); nothing was "
                                       "imported.") % {"error": exc.__class__.__name__})
            plan = None
    if plan is not None:
        record.row_count = plan.row_count
    read_seconds = time.perf_counter() - t0
    if not problems and plan is not None:
        try:
            with transaction.atomic():
                counts = registry_plan_write(plan=plan, user=record.uploaded_by)
            write_seconds = time.perf_counter() - t0 - read_seconds
        except DatabaseError as exc:
            logger.exception("registry import %s refused by the database", filename)
            problems.add(None, None, _("The database refused the import (%(error)s); nothing "
                                       "was written.") % {"error": exc.__class__.__name__})
        else:
            record.created_count, record.updated_count = counts.created, counts.updated
            record.unchanged_count = counts.unchanged
            record.certificates_created = counts.certificates_created
            record.certificates_updated = counts.certificates_updated
    record.status = RegistryImportStatus.REJECTED if problems else RegistryImportStatus.SUCCEEDED
    record.problems = problems.as_list()
    record.problem_count = problems.count
    record.finished_at = timezone.now()
    record.save()
    logger.info("registry import %s: %s, %d rows, %d problems, %.1f s (read and validate "
                "%.1f s, write %.1f s)", filename, record.status, record.row_count,
                record.problem_count, record.seconds, read_seconds, write_seconds)
    return record
