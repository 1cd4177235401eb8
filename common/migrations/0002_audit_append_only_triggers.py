"""Database triggers that make the audit log append-only (common.models.AuditEvent)."""

from django.db import migrations

from common.db import vendor_sql

PG_FORWARD = """
CREATE OR REPLACE FUNCTION tic_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON common_auditevent
  FOR EACH ROW EXECUTE FUNCTION tic_audit_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_append_only ON common_auditevent;
DROP FUNCTION IF EXISTS tic_audit_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON common_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON common_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_no_delete", "DROP TRIGGER IF EXISTS audit_no_update"]


class Migration(migrations.Migration):
    dependencies = [("common", "0001_audit_log")]
    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD),
                             sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD))]
