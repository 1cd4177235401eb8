"""Primitives of the public ledger: canonical JSON, entry hashes and Ed25519 signatures.

The ledger itself (``inspections.models.LedgerEntry``) is an append-only, hash-chained list of
the acts that bind the public record: plan publication, draw commit and run, replacement
requests and decisions, result publication and correction. Each entry is hashed over its
canonical JSON and the hash is signed with the platform's Ed25519 key, so that anyone holding
the published log and the public key can check every link, and anyone who kept an earlier head
detects a rewrite (``docs/draw.md`` §9; the verifier ``inspections/drawing/verifier.py``).

Canonical JSON (the text that is hashed): UTF-8, object keys sorted by code point, no
whitespace (separators ``,`` and ``:``), non-ASCII characters as themselves (not ``\\u``
escapes); values are strings, integers, booleans, null, arrays and objects only — a float is
refused, because its text differs between languages.

The key: PKCS#8 PEM in ``settings.LEDGER_SIGNING_KEY_FILE``. Where that file does not exist and
``settings.LEDGER_SIGNING_KEY_CREATE`` is true (the embedded default, for the demo and tests),
a new key is written there on first use; in production the file is provisioned and never
created by the application.
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS = "0" * 64
_lock = threading.Lock()


def _check_values(value, path: str = "$") -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return
    if isinstance(value, float):
        raise TypeError(f"{path}: a float cannot be hashed canonically; give it as a string")
    if isinstance(value, list | tuple):
        for n, item in enumerate(value):
            _check_values(item, f"{path}[{n}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: object keys must be strings, got {key!r}")
            _check_values(item, f"{path}.{key}")
        return
    raise TypeError(f"{path}: {type(value).__name__} is not a JSON value")


def canonical_json(value) -> str:
    """The canonical JSON text of ``value`` (see the module docstring).

    Raises ``TypeError`` naming the path of a float, a non-string key or a non-JSON value.
    """
    _check_values(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 text, 64 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_body(*, seq: int, prev: str, at: str, kind: str, plan: int | None,
               payload: dict) -> str:
    """The canonical text an entry's hash is taken over: the object ``{"at", "kind",
    "payload", "plan", "prev", "seq"}`` (``at``: UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``)."""
    return canonical_json({"seq": seq, "prev": prev, "at": at, "kind": kind, "plan": plan,
                           "payload": payload})


@lru_cache(maxsize=1)
def _private_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(settings.LEDGER_SIGNING_KEY_FILE)
    with _lock:
        if not path.exists():
            if not getattr(settings, "LEDGER_SIGNING_KEY_CREATE", False):
                raise ImproperlyConfigured(
                    f"LEDGER_SIGNING_KEY_FILE: no key at {path}; provision an Ed25519 key "
                    "(python manage.py ledger_keygen) or set LEDGER_SIGNING_KEY_CREATE")
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())
            path.write_bytes(pem)
            path.chmod(0o600)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"LEDGER_SIGNING_KEY_FILE: {path} is not an Ed25519 key")
    return key


def public_key_raw() -> bytes:
    """The 32 bytes of the platform's Ed25519 public key."""
    from cryptography.hazmat.primitives import serialization

    return _private_key().public_key().public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)


def public_key_pem() -> str:
    """The public key as SubjectPublicKeyInfo PEM (what ``/api/public/ledger/key.pem`` serves)."""
    from cryptography.hazmat.primitives import serialization

    return _private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id() -> str:
    """The key's fingerprint: the first 16 hex digits of SHA-256 of the raw public key."""
    return hashlib.sha256(public_key_raw()).hexdigest()[:16]


def sign(entry_hash: str) -> str:
    """Ed25519 signature (128 hex digits) of the 32 bytes of ``entry_hash``."""
    return _private_key().sign(bytes.fromhex(entry_hash)).hex()


def reset_key_cache() -> None:
    """Forget the loaded key (tests that switch ``LEDGER_SIGNING_KEY_FILE``)."""
    _private_key.cache_clear()
