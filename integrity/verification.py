"""`verify_store`: read what `integrity.audit` compares out of one store and compare it.

Everything is read in one pass, in batches, in this order so a running server never makes a
fault appear: the checkpoints (each written with or after the leaves it signs), then where the
sealer got to, then the log's last position. Events are read up to that position, sealed
leaves up to it or to where the sealer got, whichever is further (a sealed leaf past the last
event is a deleted event). Whatever is stored after the verification began is left for the
next one.

`verified_start` is where a check of the tail begins (the server's periodic check): a tree size
an earlier check verified, whose right edge is read back from the stored nodes and must still
hash to that size's signed root; otherwise the whole log is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from eventsourcing.persistence import ApplicationRecorder, Notification

from integrity.audit import AuditReport, Leaf, VerifiedStart, audit_log
from integrity.frontier import Frontier, frontier_nodes
from integrity.sealer import TRACKING_NAME
from integrity.tables import SealTables, StoredCheckpoint
from workflows.moments import MomentIndex

BATCH = 20_000


def verify_store(recorder: ApplicationRecorder, moments: MomentIndex, tables: SealTables,
                 vkey: str, progress: Callable[[int, int], None] | None = None,
                 start: VerifiedStart | None = None) -> AuditReport:
    """Verify the log of the store against its sealed leaves and signed checkpoints: the whole
    of it, or what came after `start`; `progress` is told `(position reached, last position)`
    as it goes."""
    checkpoints = all_checkpoints(tables, start.size - 1 if start else 0)
    sealed_position, _ = tables.sealed(TRACKING_NAME)
    # The index before the log's end: its rows are written in their events' transaction, so
    # each one read now has its event at or before the end read next. Read after it, a
    # command stored in between showed as versions deleted after the last event checked.
    indexed_versions = moments.last_indexed_versions()
    last = recorder.max_notification_id() or 0
    told = None if progress is None else (lambda position: progress(position, last))
    sealed_bound = max(last, sealed_position)  # leaves past the last event: events deleted
    report = audit_log(events_up_to(recorder, last, start.position if start else 0),
                       leaves_up_to(tables, sealed_bound, start.size - 1 if start else -1),
                       checkpoints,
                       vkey, sealed_position=sealed_position,
                       positions_of=moments.positions_of,
                       indexed_versions=indexed_versions, progress=told,
                       start=start)
    if progress is not None:
        progress(last, last)
    return report


def verified_start(tables: SealTables, size: int) -> VerifiedStart | None:
    """Where a check of what came after tree `size` starts; None (check it all) when `size`
    is 0, has no signed checkpoint, or the stored right edge no longer hashes to its root."""
    checkpoint = tables.checkpoint_at(size) if size > 0 else None
    last_leaf = tables.leaves(size - 2, 1) if checkpoint is not None else []
    if checkpoint is None or not last_leaf or last_leaf[0][0] != size - 1:
        return None
    wanted = frontier_nodes(size)
    found = tables.nodes(wanted)
    if any(node not in found for node in wanted):
        return None
    frontier = Frontier(size, [found[node] for node in wanted])
    if frontier.root() != checkpoint.root_hash:
        return None
    return VerifiedStart(size, last_leaf[0][1], frontier)


def all_checkpoints(tables: SealTables, after: int = 0) -> list[StoredCheckpoint]:
    """Every signed checkpoint of a tree larger than `after`, smallest first."""
    found: list[StoredCheckpoint] = []
    while page := tables.checkpoints(found[-1].tree_size if found else after, 1000):
        found += page
    return found


def events_up_to(recorder: ApplicationRecorder, last: int,
                 after: int = 0) -> Iterator[Notification]:
    """Every stored event at positions after `after` up to `last`, in order, a batch at a
    time."""
    while after < last:
        page = recorder.select_notifications(start=after, limit=BATCH, stop=last,
                                             inclusive_of_start=False)
        if not page:
            return
        yield from page
        after = page[-1].id


def leaves_up_to(tables: SealTables, last: int, after: int = -1) -> Iterator[Leaf]:
    """Every sealed leaf after leaf index `after` of an event at a position up to `last`, in
    leaf order."""
    while page := tables.leaves(after, BATCH):
        for leaf in page:
            if leaf[1] > last:
                return
            yield leaf
        after = page[-1][0]
