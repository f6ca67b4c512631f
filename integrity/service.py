"""`IntegrityService`: the sealed log of one store, as the API and the command line use it.

It opens the integrity tables, the signing key and the sealer, and answers what auditors ask:
the public key, checkpoints, inclusion proofs for an event against a signed tree size, and
consistency proofs between two signed tree sizes. Proofs are only given against sizes that
have a signed checkpoint, so every proof ends in a signature an auditor can check.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from eventsourcing.persistence import ApplicationRecorder

from domain.errors import NotFoundError, ValidationError
from integrity.alarms import Alarms
from integrity.audit import AuditReport
from integrity.background import BackgroundSealing
from integrity.monitor import IntegrityMonitor, WriteGate
from integrity.notes import parse_verifier_key
from integrity.proofs import ProofReader
from integrity.sealer import TRACKING_NAME, CheckpointSigner, Sealer, SigningRefusedError
from integrity.signing_key import load_signing_key
from integrity.tables import SealTables, StoredCheckpoint, open_tables
from integrity.verification import verify_store
from workflows.moments import MomentIndex
from workflows.settings import Settings


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class IntegrityService:
    def __init__(self, settings: Settings, recorder: ApplicationRecorder,
                 env: dict[str, str] | None = None, batch_size: int = 5000,
                 create_key: bool = True) -> None:
        """`recorder`: the ledger's application recorder, whose log is sealed; `create_key`
        false: refuse to make a signing key (a command must not sign with a key no server
        uses)."""
        self.recorder = recorder
        self.tables: SealTables = open_tables(env or settings.persistence_env())
        key = load_signing_key(settings, create=create_key)
        self.signer = CheckpointSigner(settings.log_origin, key)
        self.log_vkey = self.tables.claim_signer(self.signer.vkey())
        self.sealer = Sealer(recorder, self.tables,
                             self.signer if self.log_vkey == self.signer.vkey() else None,
                             checkpoint_every=settings.checkpoint_every,
                             checkpoint_seconds=settings.checkpoint_seconds,
                             batch_size=batch_size)
        self.sealer.refusal = (
            f"this process's signing key ({self.signer.vkey()}) is not the one the log is "
            f"signed with ({self.log_vkey}): give every process the same key "
            "(OKR_SIGNING_KEY_FILE)")
        self.background = BackgroundSealing(self.sealer)
        self.proofs = ProofReader(self.tables)
        self.alarms = Alarms(self.tables)
        self.gate = WriteGate(self.alarms)
        self.monitor = IntegrityMonitor(self.verify, self.alarms,
                                        settings.integrity_check_seconds)

    def verify(self, vkey: str | None = None, progress: Callable[[int, int], None] | None = None
               ) -> AuditReport:
        """The whole log checked against its sealed leaves and signed checkpoints
        (`integrity.audit`), with the signing key's verifier key unless given another."""
        if not isinstance(self.recorder, MomentIndex):
            raise TypeError(f"{type(self.recorder).__name__} keeps no moment index")
        return verify_store(self.recorder, self.recorder, self.tables,
                            vkey or self.signer.vkey(), progress)

    # ----- what auditors read ------------------------------------------------------------

    def public_key(self) -> dict[str, str]:
        """The key the log's checkpoints are signed with, as a C2SP vkey and as PEM (the
        store's record of it, whichever process answers)."""
        name, _, key = parse_verifier_key(self.log_vkey)
        pem = key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        return {"algorithm": "Ed25519", "key_name": name, "vkey": self.log_vkey,
                "public_key_pem": pem.decode()}

    def latest_checkpoint(self) -> StoredCheckpoint:
        latest = self.tables.latest_checkpoint()
        if latest is None:
            raise NotFoundError("checkpoint", "latest (nothing is sealed and signed yet)")
        return latest

    def checkpoints(self, after: int, limit: int) -> list[StoredCheckpoint]:
        return self.tables.checkpoints(after, limit)

    def signed(self, tree_size: int, name: str) -> StoredCheckpoint:
        """The checkpoint of `tree_size`; a 422 naming `name` if that size was never signed."""
        found = self.tables.checkpoint_at(tree_size)
        if found is None:
            latest = self.tables.latest_checkpoint()
            raise ValidationError([(name, (
                f"must be the tree size of a signed checkpoint (GET /v1/audit/checkpoints "
                f"lists them; the latest is {latest.tree_size if latest else 'none yet'}); "
                f"got {tree_size}"))])
        return found

    def inclusion_proof(self, position: int, tree_size: int | None) -> dict[str, Any]:
        """The event at `position`, its leaf hash and its audit path to checkpoint
        `tree_size` (default: the latest)."""
        checkpoint = (self.latest_checkpoint() if tree_size is None
                      else self.signed(tree_size, "tree_size"))
        found = self.recorder.select_notifications(start=position, limit=1)
        event = found[0] if found and found[0].id == position else None
        sealed = self.tables.leaf_at(position)
        if event is None and sealed is None:
            raise NotFoundError("event", position)
        if sealed is None:
            raise NotFoundError("sealed event", f"{position} (stored but not sealed yet)")
        leaf_index, leaf = sealed
        if leaf_index >= checkpoint.tree_size:
            raise ValidationError([("tree_size", (
                f"must be above the event's leaf index {leaf_index}: the checkpoint of "
                f"{checkpoint.tree_size} leaves does not hold it; got {checkpoint.tree_size}"))])
        return {"position": position, "leaf_index": leaf_index, "tree_size": checkpoint.tree_size,
                "leaf_hash": b64(leaf), "root_hash": b64(checkpoint.root_hash),
                "inclusion_proof": [b64(h) for h in self.proofs.inclusion(leaf_index,
                                                                          checkpoint.tree_size)],
                "checkpoint": checkpoint.note, "event": None if event is None else {
                    "position": event.id, "originator_id": str(event.originator_id),
                    "originator_version": event.originator_version, "topic": event.topic,
                    "state": b64(event.state)}}

    def consistency_proof(self, from_size: int, to_size: int) -> dict[str, Any]:
        """The proof that checkpoint `to_size` extends checkpoint `from_size`."""
        if from_size > to_size:
            raise ValidationError([("from_size", f"must not be above to_size ({to_size}); "
                                                 f"got {from_size}")])
        old, new = self.signed(from_size, "from_size"), self.signed(to_size, "to_size")
        return {"from_size": from_size, "to_size": to_size,
                "from_root": b64(old.root_hash), "to_root": b64(new.root_hash),
                "consistency_proof": [b64(h) for h in self.proofs.consistency(from_size,
                                                                              to_size)],
                "from_checkpoint": old.note, "to_checkpoint": new.note}

    # ----- sealing -----------------------------------------------------------------------

    def catch_up(self) -> int:
        return self.sealer.catch_up()

    def checkpoint_now(self) -> StoredCheckpoint:
        """Seal what is stored and sign it (on demand); the latest checkpoint."""
        self.sealer.checkpoint_now()
        return self.latest_checkpoint()

    def start(self) -> None:
        """The sealer and the periodic check (the first one now), in the background."""
        self.background.start()
        self.monitor.start()

    def stop(self) -> None:
        self.monitor.stop()
        self.background.stop()

    def status(self) -> dict[str, Any]:
        """Sealed position and size, the latest checkpoint's size, any failure, and the
        tree size this process's last integrity check verified (None: none ran here)."""
        error = self.background.last_error or (
            None if self.sealer.signer else SigningRefusedError(self.sealer.refusal))
        checked = self.monitor.state.report
        return {**sealed_status(self.tables, error,
                                "sealing" if self.background.running else "idle"),
                "verified_size": None if checked is None else checked.verified_size}

    def close(self) -> None:
        self.stop()
        self.tables.close()

    def __enter__(self) -> IntegrityService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def sealed_status(tables: SealTables, error: BaseException | None = None,
                  state: str = "idle") -> dict[str, Any]:
    """What the tables say of the sealer: its position, the tree size, the latest checkpoint's
    size (read by any process, whichever seals)."""
    position, size = tables.sealed(TRACKING_NAME)
    latest = tables.latest_checkpoint()
    return {"position": position, "tree_size": size,
            "checkpoint_size": latest.tree_size if latest else 0,
            "state": "failing" if error else state,
            "last_error": None if error is None else str(error)}
