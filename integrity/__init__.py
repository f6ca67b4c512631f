"""Tamper evidence: every stored event as a leaf of an RFC 9162 Merkle tree, signed checkpoints
of that tree, and the inclusion and consistency proofs an outside auditor checks.

- `merkle`: the RFC 6962/9162 hashing, tree heads, proofs and their verification (no I/O);
- `frontier`: the right edge of a growing tree, which appends leaves and yields new nodes;
- `leaves`: the canonical bytes of an event (`docs/integrity.md` specifies them);
- `notes`: C2SP tlog-checkpoint bodies and signed notes (Ed25519);
- `signing_key`: the signing key, kept outside the event store;
- `tables`: where sealed leaves, nodes and checkpoints are kept (SQLite or PostgreSQL);
- `sealer`: follows the log and seals each event, tracking its position in the same transaction;
- `proofs`: tree heads and proofs read back from the tables;
- `service`: `IntegrityService`, the one object the API and the command line open.
"""
