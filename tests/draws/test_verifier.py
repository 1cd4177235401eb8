"""The outsider's verifier and the public draw API, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..cycle import commit, run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def verify(tmp_path, record, pool, ipool=None):
    (tmp_path / "draw.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "pool.tsv").write_bytes(pool)
    args = [sys.executable, "-S", "-I", str(ROOT / "scripts/verify_draw.py"),
            str(tmp_path / "draw.json"), str(tmp_path / "pool.tsv")]
    if ipool is not None:
        (tmp_path / "ipool.tsv").write_bytes(ipool)
        args.append(str(tmp_path / "ipool.tsv"))
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def published(client, draw):
    record = client.get(f"/api/public/draws/{draw.pk}/").json()
    pool = client.get(f"/api/public/draws/{draw.pk}/pool.tsv").content
    ipool = client.get(f"/api/public/draws/{draw.pk}/inspector-pool.tsv").content
    return record, pool, ipool


def test_verifier_matches_a_published_draw_with_stdlib_only(
        tmp_path, client, provincial_plan, gd_organizer):
    draw = commit(provincial_plan, gd_organizer)
    before = client.get(f"/api/public/draws/{draw.pk}/").json()
    assert before["commitment"] == draw.commitment and "server_seed" not in before
    assert before["external_sources"] == draw.external_sources
    run(draw, gd_organizer, "42 17 03")
    record, pool, ipool = published(client, draw)
    assert record["status"] == "completed" and len(record["result"]["institutions"]) == 7
    out = verify(tmp_path, record, pool, ipool)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("MATCH")


@pytest.mark.parametrize("tamper", ["pool", "seed", "selection", "teams"])
def test_verifier_reports_mismatch_for_any_tampering(
        tmp_path, client, provincial_plan, gd_organizer, tamper):
    draw = run(commit(provincial_plan, gd_organizer), gd_organizer, "42 17 03")
    record, pool, ipool = published(client, draw)
    if tamper == "pool":
        lines = pool.decode().split("\n")
        pool = "\n".join(lines[:1] + lines[2:]).encode()
    elif tamper == "seed":
        record["external_value"] = record["external_values"][0] = "42 17 04"
    elif tamper == "selection":
        record["result"]["institutions"][0]["rank"] = 99
    else:
        record["result"]["teams"][0]["members"].reverse()
    out = verify(tmp_path, record, pool, ipool)
    assert out.returncode == 1 and out.stdout.startswith("MISMATCH"), out.stdout


def test_draw_of_an_unpublished_plan_is_not_public(client, provincial_plan, gd_organizer):
    draw = commit(provincial_plan, gd_organizer)
    type(provincial_plan).objects.filter(pk=provincial_plan.pk).update(status="draft")
    assert client.get(f"/api/public/draws/{draw.pk}/").status_code == 404
    assert client.get(f"/api/public/draws/{draw.pk}/pool.tsv").status_code == 404


def test_downloaded_verifier_works_outside_the_repository(
        tmp_path, client, provincial_plan, gd_organizer):
    draw = run(commit(provincial_plan, gd_organizer), gd_organizer, "outsider")
    record, pool, ipool = published(client, draw)
    # one file is all an outsider needs
    (tmp_path / "verify_draw.py").write_bytes(client.get("/api/public/verifier/verify_draw.py")
                                              .content)
    assert b"def allocate(" in client.get("/api/public/verifier/algorithm.py").content
    spec = client.get("/api/public/verifier/draw.md")
    assert spec["Content-Type"].startswith("text/plain") and b"tic-draw-1" in spec.content
    (tmp_path / "draw.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "pool.tsv").write_bytes(pool)
    (tmp_path / "ipool.tsv").write_bytes(ipool)
    out = subprocess.run([sys.executable, "-S", "-I", "verify_draw.py", "draw.json", "pool.tsv",
                          "ipool.tsv"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("MATCH"), out.stdout + out.stderr
    assert client.get("/api/public/verifier/settings.py").status_code == 404


def test_verify_page_caches_the_verdict_and_is_rate_limited(
        client, provincial_plan, gd_organizer, settings, monkeypatch):
    from django.core.cache import cache

    from inspections.drawing import verifier

    settings.RATELIMIT_ENABLE = True
    settings.INSPECTIONS_VERIFY_PAGE_RATE = "3/d"  # a daily window cannot roll over mid-test
    cache.clear()
    draw = run(commit(provincial_plan, gd_organizer), gd_organizer, "cache")
    calls = []
    real = verifier.verify
    monkeypatch.setattr(verifier, "verify", lambda *a, **k: calls.append(1) or real(*a, **k))
    url = f"/inspections/public/draws/{draw.pk}/verify/"
    pages = [client.get(url) for _ in range(3)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert all('badge ok">MATCH' in p.content.decode() for p in pages)
    assert len(calls) == 1  # the finished draw's verdict is computed once
    limited = client.get(url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_verify_page_speaks_the_page_language_and_links_its_specification(
        client, provincial_plan, gd_organizer):
    from django.db import connection

    draw = commit(provincial_plan, gd_organizer)
    zh = client.get(f"/inspections/public/draws/{draw.pk}/verify/").content.decode()
    assert "/api/public/verifier/draw.zh.md" in zh
    en = client.get(f"/en/inspections/public/draws/{draw.pk}/verify/").content.decode()
    assert "/api/public/verifier/draw.md" in en and "draw.zh.md" not in en
    spec = client.get("/api/public/verifier/draw.zh.md")
    assert spec["Content-Type"].startswith("text/plain")
    assert "tic-draw-1" in spec.content.decode() and "以英文版" in spec.content.decode()
    # a commitment rewritten before the run: the page says so, in Chinese on the Chinese page
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inspections_draw SET commitment = %s WHERE id = %s",
                       ["f" * 64, draw.pk])
    draw.refresh_from_db()
    run(draw, gd_organizer)
    zh = client.get(f"/inspections/public/draws/{draw.pk}/verify/").content.decode()
    assert 'badge bad">MISMATCH' in zh and "承诺值" in zh
    en = client.get(f"/en/inspections/public/draws/{draw.pk}/verify/").content.decode()
    assert 'badge bad">MISMATCH' in en and "commitment" in en and "承诺值" not in en
