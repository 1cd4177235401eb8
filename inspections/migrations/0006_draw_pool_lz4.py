"""Store the frozen pools of a draw with LZ4 instead of PostgreSQL's default pglz.

A national pool is about 2 MB of text (60,000 lines) and the inspector pool about 0.7 MB; pglz
took most of the 90 ms of the draw-row insert at commit and of its read at run
(scripts/bench_draw.py). LZ4 (PostgreSQL 14+, built with ``--with-lz4`` as Debian's and the
official images are) compresses and decompresses several times faster. A server without LZ4
keeps pglz: the change is only speed, never content. SQLite has no such setting.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("pool", "inspector_pool")


def compression(method: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in COLUMNS:
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    schema_editor.execute(
                        f"ALTER TABLE inspections_draw ALTER COLUMN {column} "
                        f"SET COMPRESSION {method}")
            except DatabaseError:  # server built without LZ4: keep the default
                return
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0005_plan_ratio_help"),
    ]

    operations = [
        migrations.RunPython(compression("lz4"), compression("pglz")),
    ]
