"""``manage.py ledger_keygen FILE``: write a new Ed25519 signing key for the public ledger.

The key signs every ledger entry (docs/draw.md §9). Generate it once per platform, keep the
private file out of the database and its backups (a database copy must not be able to re-sign a
rewritten history), point ``LEDGER_SIGNING_KEY_FILE`` at it and publish the public key that
``/api/public/ledger/key.pem`` serves. Refuses to overwrite an existing file.
"""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a new Ed25519 signing key (PKCS#8 PEM) for the public ledger."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the private key (mode 0600)")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if path.exists():
            raise CommandError(f"{path} exists: a ledger key is never replaced in place")
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        path.chmod(0o600)
        public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        self.stdout.write(public.decode())
