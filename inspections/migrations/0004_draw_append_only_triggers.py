"""Database triggers that make draw records append-only, whatever writes to the database.

A completed or failed draw, and any selected-institution row, can be neither updated nor
deleted (rules: DOMAIN.md "A finished draw is never changed"; docs/draw.md).
"""

from django.db import migrations

from common.db import vendor_sql

PG_FORWARD = """
CREATE OR REPLACE FUNCTION tic_draw_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'draw records are append-only (% on %)', TG_OP, TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'inspections_draw' AND OLD.status = 'committed' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a finished draw is never changed (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER draw_append_only BEFORE UPDATE OR DELETE ON inspections_draw
  FOR EACH ROW EXECUTE FUNCTION tic_draw_append_only();
CREATE TRIGGER drawselection_append_only BEFORE UPDATE OR DELETE ON inspections_drawselection
  FOR EACH ROW EXECUTE FUNCTION tic_draw_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS draw_append_only ON inspections_draw;
DROP TRIGGER IF EXISTS drawselection_append_only ON inspections_drawselection;
DROP FUNCTION IF EXISTS tic_draw_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER draw_no_delete BEFORE DELETE ON inspections_draw
       BEGIN SELECT RAISE(ABORT, 'draw records are append-only'); END""",
    """CREATE TRIGGER draw_no_update BEFORE UPDATE ON inspections_draw
       WHEN OLD.status <> 'committed'
       BEGIN SELECT RAISE(ABORT, 'a finished draw is never changed'); END""",
    """CREATE TRIGGER drawselection_no_delete BEFORE DELETE ON inspections_drawselection
       BEGIN SELECT RAISE(ABORT, 'draw records are append-only'); END""",
    """CREATE TRIGGER drawselection_no_update BEFORE UPDATE ON inspections_drawselection
       BEGIN SELECT RAISE(ABORT, 'draw records are append-only'); END""",
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {n}" for n in (
    "draw_no_delete", "draw_no_update", "drawselection_no_delete", "drawselection_no_update")]


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_draw_inspector_pool")]
    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD),
                             sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD))]
