"""Database helpers below the domain apps."""

from __future__ import annotations

from django.db import connection


def raw_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset, fetched in one go. On PostgreSQL without Django's
    per-row processing (psycopg2 already gives ints, text, booleans and dates); elsewhere the
    ordinary queryset, whose converters those backends need."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def vendor_sql(*, postgresql: tuple[str, str], sqlite: tuple[list[str], list[str]]):
    """A ``RunPython`` operation running raw SQL per database vendor: ``postgresql`` is
    ``(forward, backward)`` scripts (run through a cursor, so ``%`` in PL/pgSQL is not a
    parameter), ``sqlite`` ``(forward statements, backward statements)``; other vendors run
    nothing. Used by the migrations that add append-only triggers."""
    from django.db import migrations

    def run(schema_editor, pg: str, lite: list[str]) -> None:
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(pg)
        elif schema_editor.connection.vendor == "sqlite":
            for statement in lite:
                schema_editor.execute(statement)

    return migrations.RunPython(lambda apps, se: run(se, postgresql[0], sqlite[0]),
                                lambda apps, se: run(se, postgresql[1], sqlite[1]))
