"""Database triggers that make the public ledger append-only, whatever writes to the database.

No entry can be updated or deleted (docs/draw.md §9). The verifier detects a rewrite even by
someone who drops these triggers (or truncates the table, which the test database's flush
needs and a row trigger does not see); they stop the accidents and the casual edits.
"""

from django.db import migrations

from common.db import vendor_sql

PG_FORWARD = """
CREATE OR REPLACE FUNCTION tic_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the public ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON inspections_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION tic_ledger_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS ledger_append_only ON inspections_ledgerentry;
DROP FUNCTION IF EXISTS tic_ledger_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER ledger_no_delete BEFORE DELETE ON inspections_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the public ledger is append-only'); END""",
    """CREATE TRIGGER ledger_no_update BEFORE UPDATE ON inspections_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the public ledger is append-only'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS ledger_no_delete",
                   "DROP TRIGGER IF EXISTS ledger_no_update"]


class Migration(migrations.Migration):
    dependencies = [("inspections", "0010_result_published_flag_removed")]
    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD),
                             sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD))]
