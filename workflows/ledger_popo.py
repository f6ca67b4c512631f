"""In memory: the ledger's recorder, with the moment index and the idempotency records.

The records are a dict guarded by the library's own lock over its lists, so a save's events
and its completions are stored at once, or neither (unit tests; no process outlives it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from workflows.idempotency import (
    RESERVATION_LOST,
    IdempotencyRecord,
    IdempotencyRecords,
    ReservationLostError,
    completions_of,
    micros,
)
from workflows.idempotency_sql import in_force, last_positions
from workflows.moments_popo import POPOMomentsFactory, POPOMomentsRecorder


class POPOLedgerRecorder(IdempotencyRecords, POPOMomentsRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[str, IdempotencyRecord] = {}

    def _insert_events(self, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        with self._database_lock:
            completions = completions_of(kwargs)
            for completion in completions:
                held = self._keys.get(completion.key_id)
                if held is None or held.claim != completion.claim or held.complete:
                    raise ReservationLostError(RESERVATION_LOST)
            notification_ids = super()._insert_events(stored_events, **kwargs)
            stored = [(str(e.originator_id), e.originator_version) for e in stored_events]
            positions = last_positions(stored, notification_ids or (), completions)
            for completion, position in zip(completions, positions, strict=True):
                self._keys[completion.key_id] = dataclasses.replace(
                    self._keys[completion.key_id], completed_at=micros(time.time()),
                    subject_id=completion.subject_id, subject_version=completion.subject_version,
                    created_id=completion.created_id, position=position)
            return notification_ids

    def claim_key(self, key_id: str, fingerprint: str, claim: str, now: float,
                  reserve_for: float, retain_for: float) -> IdempotencyRecord | None:
        with self._database_lock:
            held = self._keys.get(key_id)
            if held is not None and in_force(held, now, retain_for):
                return held
            self._keys[key_id] = IdempotencyRecord(key_id, fingerprint, claim,
                                                   micros(now + reserve_for))
            return None

    def release_key(self, key_id: str, claim: str) -> None:
        with self._database_lock:
            held = self._keys.get(key_id)
            if held is not None and held.claim == claim and not held.complete:
                del self._keys[key_id]

    def purge_keys(self, now: float, retain_for: float) -> int:
        with self._database_lock:
            cutoff = micros(now - retain_for)
            gone = [key for key, held in self._keys.items()
                    if (held.completed_at or held.reserved_until) < cutoff]
            for key in gone:
                del self._keys[key]
            return len(gone)


class POPOLedgerFactory(POPOMomentsFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return POPOLedgerRecorder()
