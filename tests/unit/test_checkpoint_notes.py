"""C2SP signed checkpoints: what is signed verifies with its key only, and any change shows."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from integrity.notes import Checkpoint, NoteError, open_note, parse_checkpoint, sign_note, verifier_key

ORIGIN = "okr.example.com/log"


def signed(key: Ed25519PrivateKey) -> str:
    return sign_note(Checkpoint(ORIGIN, 42, bytes(range(32))).body(), ORIGIN, key)


def test_a_signed_checkpoint_opens_with_its_key_and_reads_back():
    key = Ed25519PrivateKey.generate()
    note = signed(key)
    assert note.startswith(f"{ORIGIN}\n42\n") and "\n\n\u2014 " + ORIGIN + " " in note
    body = open_note(note, verifier_key(ORIGIN, key.public_key()))
    assert parse_checkpoint(body) == Checkpoint(ORIGIN, 42, bytes(range(32)))


def test_another_key_or_a_changed_body_is_refused():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    note = signed(key)
    with pytest.raises(NoteError, match="not signed by"):
        open_note(note, verifier_key(ORIGIN, other.public_key()))
    with pytest.raises(NoteError, match="does not verify"):
        open_note(note.replace("\n42\n", "\n43\n"), verifier_key(ORIGIN, key.public_key()))
