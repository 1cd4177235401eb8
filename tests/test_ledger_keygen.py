"""``manage.py ledger_keygen``: a new key, never an overwritten one."""

import pytest
from django.core.management import CommandError, call_command


def test_it_writes_a_private_key_and_prints_the_public_one(tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / "k" / "ledger.pem"
    call_command("ledger_keygen", str(path))
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "BEGIN PUBLIC KEY" in capsys.readouterr().out
    with pytest.raises(CommandError, match="never replaced"):
        call_command("ledger_keygen", str(path))
    assert serialization.load_pem_private_key(path.read_bytes(), password=None).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption()) == key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption())
