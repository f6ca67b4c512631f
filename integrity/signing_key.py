"""The checkpoint signing key: outside the event store, so write access to the database is not
enough to sign a forged history.

`OKR_SIGNING_KEY_FILE` names a PEM (PKCS #8) Ed25519 private key; otherwise the data directory
keeps one (`checkpoint-signing.key`), made on first use with owner-only permissions. Like the
token secret (`api.tokens`), it is written whole under a temporary name and linked into place,
which never replaces a key already there: of two processes racing, one key stands.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from domain.errors import ValidationError
from workflows.settings import Settings
from workflows.store_files import write_key_file_once

KEY_FILE = "checkpoint-signing.key"


def key_path(settings: Settings) -> Path:
    return Path(settings.signing_key_file or Path(settings.data_dir) / KEY_FILE)


def load_signing_key(settings: Settings, *, create: bool = True) -> Ed25519PrivateKey:
    """The key checkpoints are signed with; made in the data directory if missing (unless
    `create` is false, or `OKR_SIGNING_KEY_FILE` names a file that is not there)."""
    path = key_path(settings)
    if not path.exists():
        if settings.signing_key_file:
            raise ValidationError([("OKR_SIGNING_KEY_FILE", f"names {path}, which is not there")])
        if not create:
            raise ValidationError([("--data-dir (or OKR_SIGNING_KEY_FILE)", (
                f"{path} holds no checkpoint signing key: the server makes one when it first "
                "runs; point --data-dir at its data directory, or set OKR_SIGNING_KEY_FILE"))])
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                         NoEncryption())
        write_key_file_once(path, pem, ".checkpoint-signing-")
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise ValidationError([(str(path), "is not an unencrypted PEM private key")]) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationError([(str(path), "holds a key that is not Ed25519")])
    return key
