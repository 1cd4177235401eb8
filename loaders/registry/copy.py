"""Bulk inserts of the registry import by PostgreSQL's ``COPY … FROM STDIN`` (text format).

``QuerySet.bulk_create`` sends ``INSERT … VALUES (…), (…) RETURNING id`` with one bound
parameter per value: at 60,000 institutions and their certificates, field links and history
that is about two million parameters, each prepared in Python and parsed by the server. ``COPY``
streams the rows as text, parsed once; the primary keys are taken from the table's sequence
beforehand (``nextval``), so the objects know them as after ``bulk_create``. Measured with
``scripts/bench_import.py`` (60,000 new rows): see the README.

Values go through each field's ``pre_save`` (``auto_now`` / ``auto_now_add``) and
``get_db_prep_save``, as ``bulk_create`` does, then into the text format (``\\N`` for null,
backslash, tab, newline and carriage return escaped). Other databases (the embedded SQLite)
use ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.db import connection

BATCH = 2000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_supported() -> bool:
    """Whether :func:`rows_copy` can be used (PostgreSQL with psycopg2's ``copy_expert``)."""
    return connection.vendor == "postgresql"


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def rows_copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (database values); returns the count."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(map(_text, row)))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) "
                           "FROM STDIN", buffer)
    return count


def objects_create(model, objs: list) -> list:
    """Insert ``objs`` (new instances of ``model``) and set their primary keys, as
    ``bulk_create`` would: by ``COPY`` on PostgreSQL (keys from the table's sequence), else
    ``bulk_create`` in batches."""
    if not objs:
        return objs
    if not copy_supported():
        return model.objects.bulk_create(objs, batch_size=BATCH)
    meta = model._meta
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                       "FROM generate_series(1, %s)", [qn(meta.db_table), meta.pk.column,
                                                         len(objs)])
        keys = [k for (k,) in cursor.fetchall()]
    fields = [f for f in meta.concrete_fields]
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
    rows_copy(meta.db_table, [f.column for f in fields],
              ([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
               for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def links_create(through, owner_column: str, links: Iterable[tuple[int, int]]) -> None:
    """Insert M2M rows ``(owner id, testing field id)`` into ``through`` (keys from the
    table's default); ``COPY`` on PostgreSQL, else ``bulk_create``."""
    field_column = through._meta.get_field("testingfield").column
    if copy_supported():
        rows_copy(through._meta.db_table, [owner_column, field_column], links)
        return
    owner_attr = through._meta.get_field(owner_column.removesuffix("_id")).attname
    through.objects.bulk_create([through(**{owner_attr: o, "testingfield_id": f})
                                 for o, f in links], batch_size=BATCH)
