#!/usr/bin/env python3
"""Verify OKR Ledger's signed log without trusting OKR Ledger: standard library plus
`cryptography` only, importing nothing from the project (docs/integrity.md explains it all).

    verify_okr_log.py checkpoint  --key VKEY NOTE        a signed checkpoint (C2SP signed note)
    verify_okr_log.py inclusion   --key VKEY PROOF.json  GET /v1/events/{position}/proof's answer
    verify_okr_log.py consistency --key VKEY PROOF.json  GET /v1/audit/consistency's answer
    verify_okr_log.py log --key VKEY --events EVENTS.jsonl --checkpoints NOTES.json
                                                         a whole log against its checkpoints

VKEY is the verifier key (`okr audit public-key`, GET /v1/audit/public-key's `vkey`) or a file
holding it; NOTE and PROOF may be `-` for standard input. Exit status 0: verified; 1: not
verified (the reason on stderr); 2: bad usage.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import struct
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SIGNATURE_PREFIX = "\u2014 "


class NotVerified(Exception):
    """What failed to verify, in words."""


# ----- RFC 6962 / 9162 hashing -----------------------------------------------------------

def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def canonical_bytes(event: dict) -> bytes:
    """An event's leaf data: 0x01, u64 position, u32-length-prefixed originator id (UTF-8),
    u64 originator version, u32-length-prefixed topic (UTF-8), u32-length-prefixed state
    bytes; big-endian. `event` holds those fields, `state` in base64."""
    ident = str(event["originator_id"]).lower().encode()
    topic = str(event["topic"]).encode()
    state = base64.b64decode(event["state"], validate=True)
    return b"".join((b"\x01", struct.pack(">Q", event["position"]),
                     struct.pack(">I", len(ident)), ident,
                     struct.pack(">Q", event["originator_version"]),
                     struct.pack(">I", len(topic)), topic, struct.pack(">I", len(state)), state))


def event_leaf_hash(event: dict) -> bytes:
    return leaf_hash(canonical_bytes(event))


class TreeBuilder:
    """Roots of a log's prefixes, leaf by leaf (the right edge of the tree kept)."""

    def __init__(self) -> None:
        self.size, self.edge = 0, list[bytes]()

    def append(self, leaf: bytes) -> None:
        index, hashed = self.size, leaf
        while index & 1:
            hashed, index = node_hash(self.edge.pop(), hashed), index >> 1
        self.edge.append(hashed)
        self.size += 1

    def root(self) -> bytes:
        if not self.edge:
            return hashlib.sha256(b"").digest()
        folded = self.edge[-1]
        for part in reversed(self.edge[:-1]):
            folded = node_hash(part, folded)
        return folded


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, hashed = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            hashed = node_hash(sibling, hashed)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            hashed = node_hash(hashed, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hashed == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old_hash = new_hash = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_hash, new_hash = node_hash(node, old_hash), node_hash(node, new_hash)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            new_hash = node_hash(new_hash, node)
        fn, sn = fn >> 1, sn >> 1
    return old_hash == old_root and new_hash == new_root and sn == 0


# ----- C2SP signed notes and checkpoints -------------------------------------------------

def parse_vkey(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """`name+hash+base64(0x01 ‖ key)`: the key's name, 4-byte hash and Ed25519 key."""
    try:
        name, hash_hex, encoded = vkey.strip().split("+", 2)
        hashed, raw = bytes.fromhex(hash_hex), base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise NotVerified("the verifier key is not name+hash+base64") from None
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if raw[:1] != b"\x01" or len(raw) != 33 or hashed != expected:
        raise NotVerified("the verifier key is not an Ed25519 key matching its hash")
    return name, hashed, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_note(note: str, vkey: str) -> str:
    """The note's text, if the key `vkey` names signed it."""
    name, hashed, key = parse_vkey(vkey)
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise NotVerified("a signed note is its text, an empty line, then signature lines")
    text += "\n"
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_PREFIX):
            raise NotVerified("a signature line starts with an em dash and a space")
        signer, _, encoded = line[len(SIGNATURE_PREFIX):].partition(" ")
        try:
            signed = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NotVerified("a signature is not base64") from None
        if signer == name and signed[:4] == hashed:
            try:
                key.verify(signed[4:], text.encode())
            except InvalidSignature:
                raise NotVerified(f"the signature by {name} does not verify") from None
            return text
    raise NotVerified(f"the note carries no signature by the key {name}")


def verify_checkpoint(note: str, vkey: str) -> tuple[str, int, bytes]:
    """The origin, tree size and root hash of a checkpoint signed by `vkey`."""
    lines = open_note(note, vkey).split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise NotVerified("a checkpoint is an origin, a tree size and a root hash")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise NotVerified("the checkpoint's root hash is not base64") from None
    if len(root) != 32:
        raise NotVerified("the checkpoint's root hash is not 32 bytes")
    if lines[0] != parse_vkey(vkey)[0]:
        raise NotVerified(f"the checkpoint's origin {lines[0]!r} is not the key's name")
    return lines[0], int(lines[1]), root


def _hashes(values: Iterable[str]) -> list[bytes]:
    return [base64.b64decode(value, validate=True) for value in values]


def verify_inclusion_answer(answer: dict, vkey: str) -> str:
    """An answer of GET /v1/events/{position}/proof: signed checkpoint, leaf recomputed from
    the event, audit path to the signed root."""
    _, size, root = verify_checkpoint(answer["checkpoint"], vkey)
    if size != answer["tree_size"]:
        raise NotVerified(f"the checkpoint is of {size} leaves, not {answer['tree_size']}")
    event = answer.get("event")
    if event is None:
        raise NotVerified("the answer carries no event (it is missing from the store)")
    if event["position"] != answer["position"]:
        raise NotVerified("the event is not at the position the proof is for")
    leaf = event_leaf_hash(event)
    if leaf != base64.b64decode(answer["leaf_hash"]):
        raise NotVerified(f"the event at position {answer['position']} does not hash to the "
                          "sealed leaf: it was changed after it was sealed")
    if not verify_inclusion(answer["leaf_index"], size, leaf,
                            _hashes(answer["inclusion_proof"]), root):
        raise NotVerified("the inclusion proof does not lead to the signed root")
    return f"event {answer['position']} is leaf {answer['leaf_index']} of the signed tree of {size}"


def verify_consistency_answer(answer: dict, vkey: str) -> str:
    """An answer of GET /v1/audit/consistency: both checkpoints signed, the proof valid."""
    _, old_size, old_root = verify_checkpoint(answer["from_checkpoint"], vkey)
    _, new_size, new_root = verify_checkpoint(answer["to_checkpoint"], vkey)
    if (old_size, new_size) != (answer["from_size"], answer["to_size"]):
        raise NotVerified("the checkpoints are not of the sizes the proof is for")
    if not verify_consistency(old_size, new_size, old_root, new_root,
                              _hashes(answer["consistency_proof"])):
        raise NotVerified(f"the tree of {new_size} does not extend the tree of {old_size}")
    return f"the signed tree of {new_size} extends the signed tree of {old_size}"


def verify_log(events: Iterable[dict], notes: Sequence[str], vkey: str) -> list[str]:
    """A whole log: every checkpoint's signature, and its root recomputed from the events
    (in log order). The faults found, each naming the checkpoint; empty: verified. The
    starting point for a full audit (`okr audit verify` names each fault's kind)."""
    faults, wanted = list[str](), dict[int, bytes]()
    for note in notes:
        try:
            _, size, root = verify_checkpoint(note, vkey)
            wanted[size] = root
        except NotVerified as error:
            faults.append(f"checkpoint: {error}")
    tree, previous = TreeBuilder(), 0
    for event in events:
        if event["position"] <= previous:
            faults.append(f"position {event['position']}: out of order after {previous}")
        previous = event["position"]
        tree.append(event_leaf_hash(event))
        if tree.size in wanted and tree.root() != wanted.pop(tree.size):
            faults.append(f"checkpoint {tree.size}: the events do not hash to its signed root")
    faults += [f"checkpoint {size}: the log has only {tree.size} events" for size in wanted]
    return faults


# ----- the command line -------------------------------------------------------------------

def _text(name: str) -> str:
    return sys.stdin.read() if name == "-" else Path(name).read_text()


def _vkey(given: str) -> str:
    path = Path(given)
    return path.read_text().strip() if "+" not in given and path.is_file() else given


def run(args: argparse.Namespace) -> str:
    vkey = _vkey(args.key)
    if args.command == "checkpoint":
        origin, size, root = verify_checkpoint(_text(args.file), vkey)
        return f"checkpoint of {origin}: {size} leaves, root {base64.b64encode(root).decode()}"
    if args.command == "inclusion":
        return verify_inclusion_answer(json.loads(_text(args.file)), vkey)
    if args.command == "consistency":
        return verify_consistency_answer(json.loads(_text(args.file)), vkey)
    events = (json.loads(line) for line in _text(args.events).splitlines() if line.strip())
    faults = verify_log(events, json.loads(_text(args.checkpoints)), vkey)
    if faults:
        raise NotVerified("\n".join(faults))
    return "the log matches every signed checkpoint"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify_okr_log.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("checkpoint", "inclusion", "consistency"):
        command = commands.add_parser(name)
        command.add_argument("--key", required=True, help="the verifier key, or a file with it")
        command.add_argument("file", help="the note or JSON answer; - for standard input")
    log = commands.add_parser("log")
    log.add_argument("--key", required=True)
    log.add_argument("--events", required=True, help="JSON lines: position, originator_id, "
                                                     "originator_version, topic, state (base64)")
    log.add_argument("--checkpoints", required=True, help="a JSON list of signed notes")
    args = parser.parse_args(argv)
    try:
        print(f"verified: {run(args)}")
    except (NotVerified, KeyError, ValueError, TypeError) as error:
        reason = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        print(f"NOT VERIFIED: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
