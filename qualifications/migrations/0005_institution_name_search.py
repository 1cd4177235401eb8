"""Name search of the public institution lookup and the open-data list (issue 13), PostgreSQL
only (the embedded SQLite default searches by LIKE, unindexed, and needs none of this):

* ``pg_trgm`` and a trigram GIN index on ``name`` (it serves ``LIKE`` and ``ILIKE``) for
  words of three characters or more;
* ``tic_name_grams(text)``: the name's one- and two-character substrings (upper-cased), with
  a GIN index, for the words trigrams cannot serve: most Chinese words
  have two characters (广州, 检测). Declared costly (``COST 1000``) so that the planner uses
  its index, never calls it row by row;
* the collation ``tic_pinyin`` (ICU ``zh-u-co-pinyin``; plain code-point order where
  PostgreSQL has no ICU) and an index on ``(name COLLATE tic_pinyin, uscc)``: results in the
  order Chinese readers expect, walked in order when a word matches thousands of names.

Written in ``qualifications`` (which owns the public lookup) against the institutions table.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'tic_pinyin') THEN
        BEGIN
          CREATE COLLATION tic_pinyin (provider = icu, locale = 'zh-u-co-pinyin');
        EXCEPTION WHEN OTHERS THEN
          CREATE COLLATION tic_pinyin FROM "C";
        END;
      END IF;
    END $$""",
    # plpgsql: three times faster than a SQL function over generate_series (each insert of an
    # institution runs it once for the index)
    """CREATE OR REPLACE FUNCTION tic_name_grams(name text) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
      DECLARE
        u text := upper(name);
        n int := char_length(name);
        grams text[] := '{}';
      BEGIN
        FOR i IN 1..n LOOP
          grams := grams || substr(u, i, 1);
          IF i < n THEN
            grams := grams || substr(u, i, 2);
          END IF;
        END LOOP;
        RETURN grams;
      END
    $$""",
    "CREATE INDEX IF NOT EXISTS institutions_name_trgm ON institutions_institution "
    "USING gin ((name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS institutions_name_grams ON institutions_institution "
    "USING gin (tic_name_grams(name::text))",
    "CREATE INDEX IF NOT EXISTS institutions_name_pinyin ON institutions_institution "
    "((name::text COLLATE tic_pinyin), uscc)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS institutions_name_pinyin",
    "DROP INDEX IF EXISTS institutions_name_grams",
    "DROP INDEX IF EXISTS institutions_name_trgm",
    "DROP FUNCTION IF EXISTS tic_name_grams(text)",
    "DROP COLLATION IF EXISTS tic_pinyin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("qualifications", "0004_clock_defaults"),
        ("institutions", "0003_audited_history"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
