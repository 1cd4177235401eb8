"""The institution registry workbook (机构名录): generator, import, export.

* :func:`registry_workbook_write` / :func:`registry_rows` (``generator``) — a deterministic
  sheet for demos and benches (``manage.py generate_registry``).
* :func:`registry_import` (``service``) — validate, then upsert in bulk, all or nothing, with a
  row/column/problem report kept in ``institutions.RegistryImport`` (``manage.py
  import_registry``, and the admin upload under the institution changelist).
* ``resources.InstitutionResource`` — the export through django-import-export (not used for
  the import: see ``service``), text neutralised against formula injection
  (``common.spreadsheets``).

An upload is read within the bounds of ``limits`` (size, uncompressed size, compression ratio,
members, rows, cell length: the ``REGISTRY_UPLOAD_*`` settings), a workbook through the guards of
``xlsx``; a cell with a control character, a formula or formula-like text is a problem of its row
and column (``validation.value_problem``).
"""

from .generator import registry_rows, registry_workbook_write
from .service import registry_import

__all__ = ["registry_import", "registry_rows", "registry_workbook_write"]
