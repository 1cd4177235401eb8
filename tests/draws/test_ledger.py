"""The public ledger: appended inside the act's transaction, chained, signed, append-only in the
ORM and in the database, and served as anyone downloads it (docs/draw.md §9)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from common import ledger as primitives
from inspections.drawing import verifier
from inspections.models import LedgerEntry
from inspections.services.ledger import ledger_append

from ..cycle import commit_and_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(provincial_plan, gd_organizer):
    commit_and_run(provincial_plan, gd_organizer)
    return list(LedgerEntry.objects.order_by("seq"))


def test_each_act_is_one_signed_entry_linked_to_the_one_before(entries):
    assert [e.kind for e in entries] == ["draw_committed", "draw_run"]
    assert entries[0].prev_hash == primitives.GENESIS
    assert entries[1].prev_hash == entries[0].entry_hash
    for e in entries:
        assert primitives.sha256_hex(e.body) == e.entry_hash
        assert verifier.ed25519_verify(primitives.public_key_raw(), bytes.fromhex(e.entry_hash),
                                       bytes.fromhex(e.signature))
    assert verifier.chain_problems([e.published() for e in entries],
                                   primitives.public_key_raw()) == []


def test_the_ledger_is_append_only_in_the_orm_and_the_database(entries):
    entry = entries[0]
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=entry.pk).update(kind="x")
    for sql in ("UPDATE inspections_ledgerentry SET kind = 'x' WHERE seq = %s",
                "DELETE FROM inspections_ledgerentry WHERE seq = %s"):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.seq])


def test_an_entry_is_written_only_inside_its_act(ref):
    with pytest.raises(RuntimeError):
        _outside()


def _outside():
    """``ledger_append`` outside a transaction (the test database's own is left first)."""
    conn = transaction.get_connection()
    was = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        ledger_append(kind="draw_run", payload={})
    finally:
        conn.in_atomic_block = was


def test_a_float_cannot_be_hashed(ref):
    with pytest.raises(TypeError, match="float"):
        primitives.canonical_json({"weights": {"D": 8.0}})


def test_the_ledger_downloads_as_json_lines_with_its_head_and_key(entries):
    client = Client()
    response = client.get("/api/public/ledger/")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["hash"] for line in lines] == [e.entry_hash for e in entries]
    later = b"".join(client.get("/api/public/ledger/?after=1").streaming_content).decode()
    assert [json.loads(line)["seq"] for line in later.splitlines()] == [2]
    assert client.get("/api/public/ledger/?after=x").status_code == 400
    head = client.get("/api/public/ledger/head/").json()
    assert head == {"seq": 2, "hash": entries[-1].entry_hash, "key": primitives.key_id()}
    pem = client.get("/api/public/ledger/key.pem").content.decode()
    assert verifier.public_key_of(pem) == primitives.public_key_raw()
    page = client.get(f"/inspections/public/plans/{entries[0].plan_id}/").content.decode()
    assert entries[-1].entry_hash[:16] in page and 'id="ledger-head"' in page


def test_a_missing_key_stops_the_act_in_production(settings, tmp_path, provincial_plan,
                                                   gd_organizer):
    from django.core.exceptions import ImproperlyConfigured

    from inspections.models import Draw

    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    settings.LEDGER_SIGNING_KEY_CREATE = False
    primitives.reset_key_cache()
    try:
        with pytest.raises(ImproperlyConfigured, match="LEDGER_SIGNING_KEY_FILE"):
            commit_and_run(provincial_plan, gd_organizer)
        assert not Draw.objects.exists()
    finally:
        primitives.reset_key_cache()
