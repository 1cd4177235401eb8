"""Appending to the public ledger, inside the transaction of the act it records.

``ledger_append`` is called by the services whose acts bind the public record (plan
publication, draw commit and run, replacement request and decision, result publication), in
the same database transaction: the entry exists if and only if the act does. Appends are
serialised (a PostgreSQL advisory lock for the transaction; elsewhere the database's single
writer), so sequence numbers have no gaps and each entry names its predecessor's hash.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from common import clock
from common import ledger as primitives

from ..models.ledger import LedgerEntry, LedgerKind

_LOCK_KEY = 0x7A1C_1ED6  # the advisory lock id of ledger appends


def ledger_time(at: dt.datetime) -> str:
    """A time as the ledger writes it: UTC, microseconds, ``Z``."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ledger_append(*, kind: str, payload: dict, plan=None,
                  at: dt.datetime | None = None) -> LedgerEntry:
    """Append one entry and return it; must run inside the act's transaction.

    ``kind``: a :class:`LedgerKind` value; ``payload``: a JSON object of strings, integers,
    booleans and null (``TypeError`` for a float, see ``common.ledger.canonical_json``);
    ``plan``: the plan the act concerns. Raises ``RuntimeError`` outside a transaction.
    """
    if kind not in LedgerKind.values:
        raise ValueError(f"unknown ledger kind {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the transaction of its act")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    at = at or clock.now()
    last = LedgerEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, primitives.GENESIS)
    body = primitives.entry_body(seq=seq, prev=prev, at=ledger_time(at), kind=kind,
                                 plan=plan.pk if plan is not None else None, payload=payload)
    entry_hash = primitives.sha256_hex(body)
    entry = LedgerEntry(seq=seq, recorded_at=at, kind=kind, plan=plan, body=body,
                        prev_hash=prev, entry_hash=entry_hash,
                        signature=primitives.sign(entry_hash), key_id=primitives.key_id())
    entry.save(force_insert=True)
    return entry


def ledger_head() -> dict:
    """The chain head: ``{"seq": int, "hash": hex}`` of the last entry (``seq`` 0 and the
    genesis hash when the ledger is empty)."""
    last = LedgerEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return {"seq": last[0], "hash": last[1]} if last else {"seq": 0,
                                                             "hash": primitives.GENESIS}


def person(user) -> str | None:
    """How the ledger names a person who acted: full name (or username) and authority."""
    if user is None:
        return None
    name = user.get_full_name() or user.get_username()
    authority = getattr(user, "authority", None)
    return f"{name} ({authority.name})" if authority is not None else name
