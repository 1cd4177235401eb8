"""Rewriting the record in the database is caught by an outsider: the draw, the results and the
public ledger are downloaded from the public API as anyone would, the verifier
(``verify_draw.py``, run as a separate process) is given them with a head kept earlier, and each
SQL rewrite — a commitment before the run, a published result, a task's institution, a ledger
entry rewritten or deleted — is reported with a message naming the entry or task
(docs/draw.md §8–9; issue "The public record binds its authors")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Role
from inspections.models import InspectionTask, Inspector

from ..cycle import commit, record_approve_publish, run
from ..factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="rewrites rows past triggers"),
]


@pytest.fixture
def drawn(provincial_plan, gd_organizer, gd_approver):
    """The provincial draw committed and run, one result published; returns (draw, task)."""
    draw = run(commit(provincial_plan, gd_organizer), gd_organizer, "0 7 2")
    task = InspectionTask.objects.filter(draw=draw).order_by("pk").first()
    leader = task.assignments.get(is_leader=True).inspector
    user = UserFactory(username="leader", role=Role.INSPECTOR, authority=leader.authority)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    record_approve_publish(task, user, gd_approver, gd_organizer)
    return draw, task


def download(tmp_path: Path, draw) -> dict:
    """Everything an outsider downloads from the public API, as files in ``tmp_path``."""
    client = Client()
    files = {
        "draw.json": client.get(f"/api/public/draws/{draw.pk}/").content,
        "pool.tsv": client.get(f"/api/public/draws/{draw.pk}/pool.tsv").content,
        "ipool.tsv": client.get(f"/api/public/draws/{draw.pk}/inspector-pool.tsv").content,
        "ledger.jsonl": b"".join(client.get("/api/public/ledger/").streaming_content),
        "key.pem": client.get("/api/public/ledger/key.pem").content,
        "results.json": client.get(f"/api/public/plans/{draw.plan_id}/results/").content,
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    return client.get("/api/public/ledger/head/").json()


def verify(tmp_path: Path, head: dict | None = None, lang: str = "en"):
    args = [sys.executable, str(ROOT / "inspections/drawing/verifier.py"), "draw.json",
            "pool.tsv", "ipool.tsv", "--ledger", "ledger.jsonl", "--key", "key.pem",
            "--results", "results.json", "--lang", lang]
    if head:
        args += ["--head", f"{head['seq']}:{head['hash']}"]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def ledger_sql(statement: str, params=()) -> None:
    """Run ``statement`` on the ledger with its append-only trigger off, as a database
    superuser could (the test's transaction first settles its deferred checks)."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql("ALTER TABLE inspections_ledgerentry DISABLE TRIGGER ledger_append_only")
    try:
        sql(statement, params)
    finally:
        sql("ALTER TABLE inspections_ledgerentry ENABLE TRIGGER ledger_append_only")


def test_the_untouched_record_verifies(tmp_path, drawn):
    draw, _task = drawn
    head = download(tmp_path, draw)
    out = verify(tmp_path, head)
    assert out.returncode == 0 and out.stdout.startswith("MATCH"), out.stdout + out.stderr


def test_a_commitment_rewritten_before_the_run_is_caught(tmp_path, provincial_plan,
                                                         gd_organizer):
    from inspections.drawing import algorithm as alg

    draw = commit(provincial_plan, gd_organizer)
    forged_seed = "ab" * 32  # an operator who picked a server seed that suits him
    sql("UPDATE inspections_draw SET server_seed = %s, commitment = %s WHERE id = %s",
        [forged_seed, alg.commitment_of(forged_seed), draw.pk])
    draw.refresh_from_db()
    run(draw, gd_organizer, "0 7 2")
    download(tmp_path, draw)
    out = verify(tmp_path)
    assert out.returncode == 1 and out.stdout.startswith("MISMATCH"), out.stdout
    assert "commitment" in out.stdout and "#" in out.stdout
    # and in Chinese for the Chinese page
    zh = verify(tmp_path, lang="zh")
    assert zh.returncode == 1 and "承诺值" in zh.stdout


def test_a_swapped_result_is_caught(tmp_path, drawn):
    draw, task = drawn
    head = download(tmp_path, draw)
    sql("UPDATE inspections_inspectionresult SET category = 'problem_pending', "
        "follow_up = 'case_opened' WHERE task_id = %s AND state = 'published'", [task.pk])
    download(tmp_path, draw)
    out = verify(tmp_path, head)
    assert out.returncode == 1, out.stdout
    assert f"task {task.pk}" in out.stdout and "problem_pending" in out.stdout


def test_a_task_moved_to_another_institution_is_caught_and_the_page_says_so(tmp_path, drawn):
    from institutions.models import Institution

    draw, task = drawn
    taken = InspectionTask.objects.values_list("institution_id", flat=True)
    other = Institution.objects.exclude(pk__in=taken).first()
    Institution.objects.filter(pk=other.pk).update(name="暗中调换的机构")
    sql("UPDATE inspections_inspectiontask SET institution_id = %s WHERE id = %s",
        [other.pk, task.pk])
    download(tmp_path, draw)
    out = verify(tmp_path)
    assert out.returncode == 1 and other.uscc in out.stdout, out.stdout
    page = Client().get(f"/inspections/public/plans/{draw.plan_id}/").content.decode()
    assert 'id="record-mismatch"' in page and other.uscc in page
    assert "暗中调换的机构" not in page  # the page lists what the draw record says, not the table


def test_a_rewritten_ledger_entry_shows_where_the_chain_breaks(tmp_path, drawn):
    draw, _task = drawn
    head = download(tmp_path, draw)
    entry = next(e for e in map(json.loads, (tmp_path / "ledger.jsonl").read_text().splitlines())
                 if e["kind"] == "draw_committed")
    ledger_sql("UPDATE inspections_ledgerentry SET body = replace(body, %s, %s) WHERE seq = %s",
               [entry["payload"]["commitment"], "0" * 64, entry["seq"]])
    download(tmp_path, draw)
    out = verify(tmp_path, head)
    assert out.returncode == 1, out.stdout
    assert f"#{entry['seq']}" in out.stdout and "rewritten" in out.stdout


def test_a_deleted_ledger_entry_is_caught(tmp_path, drawn):
    draw, _task = drawn
    head = download(tmp_path, draw)
    gone = next(e for e in map(json.loads, (tmp_path / "ledger.jsonl").read_text().splitlines())
                if e["kind"] == "draw_run")
    ledger_sql("DELETE FROM inspections_ledgerentry WHERE seq = %s", [gone["seq"]])
    download(tmp_path, draw)
    out = verify(tmp_path, head)
    assert out.returncode == 1, out.stdout
    assert f"#{gone['seq']}" in out.stdout and "deleted" in out.stdout
