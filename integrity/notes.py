"""Signed checkpoints: C2SP tlog-checkpoint bodies in C2SP signed-note envelopes (Ed25519).

A checkpoint body is three lines: the log's origin, the tree size in decimal, the root hash in
standard base64. A signed note is the body, an empty line, and one signature line per signer:
an em dash, a space, the key name, a space, and base64 of the key's 4-byte hash followed by the
64-byte Ed25519 signature over the body. The key hash is the first 4 bytes of
SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key), 0x01 naming Ed25519; a verifier key is written
`name+hash(8 hex digits)+base64(0x01 ‖ public key)` (the "vkey" the Go note package reads).
Written from the C2SP specifications, since no Python package we use implements them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "


class NoteError(ValueError):
    """A note or key that is malformed or whose signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root_hash: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.tree_size}\n{base64.b64encode(self.root_hash).decode()}\n"


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_hash(name: str, public: bytes) -> bytes:
    """The 4 bytes a signature line names its key by."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def verifier_key(name: str, key: Ed25519PublicKey) -> str:
    """`name+hash+base64(0x01 ‖ key)`: how an auditor is given the public key."""
    public = raw_public_key(key)
    return f"{name}+{key_hash(name, public).hex()}+{base64.b64encode(ED25519 + public).decode()}"


def sign_note(body: str, name: str, key: Ed25519PrivateKey) -> str:
    """`body` (ending in a newline) as a signed note with one Ed25519 signature by `name`."""
    if not body.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    public = raw_public_key(key.public_key())
    signature = key.sign(body.encode())
    line = base64.b64encode(key_hash(name, public) + signature).decode()
    return f"{body}\n{SIGNATURE_PREFIX}{name} {line}\n"


def parse_verifier_key(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """The name, key hash and key of a `name+hash+base64` verifier key; NoteError if bad."""
    try:
        name, hash_hex, encoded = vkey.strip().split("+", 2)
        hashed, raw = bytes.fromhex(hash_hex), base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise NoteError("a verifier key is name+hash+base64") from None
    if raw[:1] != ED25519 or len(raw) != 33 or hashed != key_hash(name, raw[1:]):
        raise NoteError("the verifier key is not an Ed25519 key matching its hash")
    return name, hashed, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_note(note: str, vkey: str) -> str:
    """The body of `note` if the key `vkey` names signed it; NoteError otherwise."""
    name, hashed, key = parse_verifier_key(vkey)
    body, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise NoteError("a signed note has its text, an empty line, then signature lines")
    body += "\n"
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("every signature line starts with an em dash and a space")
        signer, _, encoded = line[len(SIGNATURE_PREFIX):].partition(" ")
        try:
            signed = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("a signature is base64") from None
        if signer == name and signed[:4] == hashed:
            try:
                key.verify(signed[4:], body.encode())
            except InvalidSignature:
                raise NoteError(f"the signature by {name} does not verify") from None
            return body
    raise NoteError(f"the note is not signed by {name}")


def parse_checkpoint(body: str) -> Checkpoint:
    """The origin, size and root of a tlog-checkpoint body (extension lines ignored)."""
    lines = body.split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise NoteError("a checkpoint is an origin, a tree size and a base64 root hash")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise NoteError("a checkpoint's root hash is base64") from None
    if len(root) != 32:
        raise NoteError("a checkpoint's root hash is 32 bytes")
    return Checkpoint(lines[0], int(lines[1]), root)
