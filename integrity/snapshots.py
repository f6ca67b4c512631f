"""`snapshot_faults`: `okr audit verify --snapshots`. Snapshots are derived data outside the
sealed log: a snapshot changed in the database would change an objective's current state while
every event stays intact. So each stored snapshot is compared with the replay of the events up
to its version (from version 1, no snapshot used), field by field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, Snapshot

from domain.errors import DamagedHistoryError
from integrity.audit import Fault
from workflows.ledger_base import LedgerBase
from workflows.replay import checked_replay

SKIPPED = ("_modified_on",)
"""Fields a snapshot records as the library sets them, not as events do."""


def snapshot_faults(ledger: LedgerBase) -> list[Fault]:
    """A fault (kind `snapshot`) per stored snapshot that is not what its events replay to."""
    faults: list[Fault] = []
    for aggregate_id in ledger.moments.last_indexed_versions():
        positions = ledger.moments.positions_of(aggregate_id)
        for snapshot in _snapshots(ledger, aggregate_id):
            version = snapshot.originator_version
            differs = _differences(ledger, aggregate_id, snapshot)
            if differs:
                faults.append(Fault(positions.get(version, 0), "snapshot", (
                    f"the snapshot of {aggregate_id} at version {version} differs from the "
                    f"replay of its events in {', '.join(differs[:5])}")))
    return faults


def _snapshots(ledger: LedgerBase, aggregate_id: UUID) -> Iterator[Snapshot]:
    if ledger.snapshots is None:
        return
    for snapshot in ledger.snapshots.get(aggregate_id):
        if isinstance(snapshot, Snapshot):
            yield snapshot


def _differences(ledger: LedgerBase, aggregate_id: UUID, snapshot: Snapshot) -> list[str]:
    try:
        replayed = checked_replay(None, ledger.events.get(aggregate_id,
                                                          lte=snapshot.originator_version))
    except DamagedHistoryError as damage:
        return [f"nothing: its events cannot be replayed ({damage.fault})"]
    if not isinstance(replayed, Aggregate) or replayed.version != snapshot.originator_version:
        return ["its version: the events stop before it"]
    taken: dict[str, Any] = type(snapshot).take(replayed).state
    return sorted(name for name in set(taken) | set(snapshot.state)
                  if name not in SKIPPED and taken.get(name) != snapshot.state.get(name))
