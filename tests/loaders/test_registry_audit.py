"""A registry import is audited like any other change: each institution's and certificate's
history row, and its audit event, carry the importing regulator, his address and the source,
although the rows are copied in SQL (``loaders/registry/writer.py``, ``common.audit``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from common.audit import acting_as
from common.models import AuditEvent
from institutions.models import Institution
from qualifications.models import Certificate

from .conftest import run_import, xlsx_bytes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_an_upload_is_audited_with_who_and_from_where(client_as, regulator, gd_rows):
    client = client_as(regulator)
    client.post(reverse("admin:institutions_institution_import_registry"),
                {"file": SimpleUploadedFile("registry.xlsx", xlsx_bytes(gd_rows))},
                REMOTE_ADDR="10.1.2.3")
    for model in (Institution, Certificate):
        rows = model.history.all()
        assert rows.count() == len(gd_rows)
        assert {(h.history_user_id, h.ip_address, h.source) for h in rows} == {
            (regulator.pk, "10.1.2.3", "web")}
        events = AuditEvent.objects.filter(model=model._meta.label_lower, kind="created")
        assert events.count() == len(gd_rows)
        assert {(e.username, e.ip_address, e.source) for e in events} == {
            (regulator.username, "10.1.2.3", "web")}
        assert set(events.values_list("history_id", flat=True)) == set(
            rows.values_list("history_id", flat=True))


def test_the_command_path_is_audited_as_a_command(ref, gd_rows):
    with acting_as(None, "command"):
        assert run_import(xlsx_bytes(gd_rows)).succeeded
    changed = [list(r) for r in gd_rows[:2]]
    for row in changed:
        row[0] = row[0] + "（更名）"
    with acting_as(None, "command"):
        assert run_import(xlsx_bytes([tuple(r) for r in changed])).succeeded
    kinds = AuditEvent.objects.filter(model="institutions.institution").values_list(
        "kind", "source")
    assert sorted(set(kinds)) == [("changed", "command"), ("created", "command")]
    assert AuditEvent.objects.filter(model="institutions.institution",
                                     kind="changed").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process on the test DB")
def test_manage_py_import_registry_is_audited_as_a_command(ref, gd_rows, tmp_path):
    """The real command line: ``manage.py import_registry FILE`` in its own process."""
    path = tmp_path / "registry.xlsx"
    path.write_bytes(xlsx_bytes(gd_rows))
    s = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{s['USER'] or 'postgres'}@"
                                         f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
                                         f"{s['NAME']}"}
    out = subprocess.run([sys.executable, "manage.py", "import_registry", str(path)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    events = AuditEvent.objects.filter(model="institutions.institution")
    assert events.count() == len(gd_rows)
    assert set(events.values_list("source", flat=True)) == {"command"}
    assert set(Institution.history.values_list("source", flat=True)) == {"command"}
