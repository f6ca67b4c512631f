"""`Sealer`: follows the ledger's log by position and seals every event into the Merkle tree.

Like the views' follower (`projections.following`), it reads `select_notifications` after its
own tracked position, in batches, and writes each batch's leaves, the tree nodes they complete
and any checkpoint due, with the batch's last position, in one transaction
(`integrity.tables`): a sealer killed anywhere resumes exactly after what it recorded. The
tree's right edge (`Frontier`) is kept in memory and restored from the stored nodes on start,
so sealing costs two hashes per event on average and never re-reads old leaves.

Checkpoints fall every `checkpoint_every` leaves exactly (a batch stops at the next one), and,
when fewer came, `checkpoint_seconds` after the last, so the latest sealed event waits at most
that long for a signature; `checkpoint_now` signs at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import ApplicationRecorder

from domain.errors import LedgerError
from integrity.frontier import Frontier, frontier_nodes
from integrity.leaves import notification_leaf
from integrity.notes import Checkpoint, sign_note, verifier_key
from integrity.tables import PositionMovedError, SealedBatch, SealTables, StoredCheckpoint

TRACKING_NAME = "OKRLedger"
"""Whose log the sealer follows (the ledger application's name), as its tracking row says."""


class SigningRefusedError(LedgerError):
    """This process's signing key is not the one the log's checkpoints are signed with."""


class CheckpointSigner:
    """Signs tree heads as C2SP checkpoints under `origin`, which also names the key."""

    def __init__(self, origin: str, key: Ed25519PrivateKey) -> None:
        self.origin, self.key = origin, key

    def vkey(self) -> str:
        return verifier_key(self.origin, self.key.public_key())

    def row(self, tree_size: int, root: bytes) -> tuple[int, bytes, str, str]:
        """A checkpoint row: size, root, signed note, when it was signed (ISO 8601, UTC)."""
        note = sign_note(Checkpoint(self.origin, tree_size, root).body(), self.origin, self.key)
        return tree_size, root, note, datetime.now(UTC).isoformat()


class Sealer:
    def __init__(self, recorder: ApplicationRecorder, tables: SealTables,
                 signer: CheckpointSigner | None, *, checkpoint_every: int = 1000,
                 checkpoint_seconds: float = 10.0, batch_size: int = 5000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.recorder, self.tables, self.signer = recorder, tables, signer
        self.refusal = "no signing key"
        """Why `signer` is None: checkpoints are then refused (SigningRefusedError), while
        events are still sealed."""
        self.checkpoint_every, self.checkpoint_seconds = checkpoint_every, checkpoint_seconds
        self.batch_size, self.clock = batch_size, clock
        self.lock = threading.RLock()
        self.frontier = Frontier()
        self._position = self._checkpointed = 0
        self._signed_at = clock()
        tables.track(TRACKING_NAME)
        self._restore()

    @property
    def position(self) -> int:
        """The log position sealed up to."""
        return self._position

    @property
    def size(self) -> int:
        """Leaves sealed: the tree's size."""
        return self.frontier.size

    def catch_up(self) -> int:
        """Seal everything stored now (checkpoints falling due on the way); the tree size."""
        while self.step():
            pass
        return self.size

    def step(self) -> int:
        """Seal the next batch; how many events it sealed (0: none were waiting)."""
        with self.lock:
            room = self._checkpointed + self.checkpoint_every - self.size
            notifications = self.recorder.select_notifications(
                start=self._position + 1, limit=max(1, min(self.batch_size, room)))
            if not notifications:
                return 0
            batch = SealedBatch(notifications[-1].id)
            for notification in notifications:
                leaf = notification_leaf(notification)
                batch.leaves.append((self.frontier.size, notification.id, leaf))
                self.frontier.append(leaf, batch.nodes)
            if self.signer is not None and self._due():
                batch.checkpoints.append(self.signer.row(self.size, self.frontier.root()))
            self._commit(batch)
            return len(notifications)

    def checkpoint_if_due(self) -> StoredCheckpoint | None:
        """Sign the sealed tree if its last checkpoint is `checkpoint_seconds` old and leaves
        came since; the new checkpoint, if one was signed."""
        with self.lock:
            return self._checkpoint() if self._due() else None

    def checkpoint_now(self) -> StoredCheckpoint | None:
        """Seal what is stored, then sign the tree unless its size is signed already; the
        latest checkpoint (None for an empty log)."""
        with self.lock:
            self.catch_up()
            if self.size > self._checkpointed:
                self._checkpoint()
            return self.tables.latest_checkpoint()

    def _due(self) -> bool:
        unsigned = self.size - self._checkpointed
        return unsigned >= self.checkpoint_every or (
            unsigned > 0 and self.clock() - self._signed_at >= self.checkpoint_seconds)

    def _checkpoint(self) -> StoredCheckpoint:
        if self.signer is None:
            raise SigningRefusedError(self.refusal)
        row = self.signer.row(self.size, self.frontier.root())
        self.tables.record_checkpoint(row)
        self._checkpointed, self._signed_at = self.size, self.clock()
        return StoredCheckpoint(*row)

    def _commit(self, batch: SealedBatch) -> None:
        try:
            self.tables.commit(batch, TRACKING_NAME, self._position)
        except PositionMovedError:
            self._restore()  # another sealer got there first: go on from where it got to
            return
        except BaseException:
            self._restore()
            raise
        self._position = batch.position
        if batch.checkpoints:
            self._checkpointed, self._signed_at = self.size, self.clock()

    def _restore(self) -> None:
        """Read where the sealed tree stands: position, size, right edge, last checkpoint."""
        self._position, size = self.tables.sealed(TRACKING_NAME)
        wanted = frontier_nodes(size)
        found = self.tables.nodes(wanted)
        self.frontier = Frontier(size, [found[node] for node in wanted])
        latest = self.tables.latest_checkpoint()
        self._checkpointed = latest.tree_size if latest else 0
        self._signed_at = self.clock()
