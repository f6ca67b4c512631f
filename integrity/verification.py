"""`verify_store`: read what `integrity.audit` compares out of one store and compare it.

Everything is read in one pass, in batches, in this order so a running server never makes a
fault appear: the checkpoints (each written with or after the leaves it signs), then where the
sealer got to, then the log's last position. Events are read up to that position, sealed
leaves up to it or to where the sealer got, whichever is further (a sealed leaf past the last
event is a deleted event). Whatever is stored after the verification began is left for the
next one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from eventsourcing.persistence import ApplicationRecorder, Notification

from integrity.audit import AuditReport, Leaf, audit_log
from integrity.sealer import TRACKING_NAME
from integrity.tables import SealTables, StoredCheckpoint
from workflows.moments import MomentIndex

BATCH = 20_000


def verify_store(recorder: ApplicationRecorder, moments: MomentIndex, tables: SealTables,
                 vkey: str, progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Verify the whole log of the store against its sealed leaves and signed checkpoints;
    `progress` is told `(position reached, last position)` as it goes."""
    checkpoints = all_checkpoints(tables)
    sealed_position, _ = tables.sealed(TRACKING_NAME)
    last = recorder.max_notification_id() or 0
    told = None if progress is None else (lambda position: progress(position, last))
    sealed_bound = max(last, sealed_position)  # leaves past the last event: events deleted
    report = audit_log(events_up_to(recorder, last), leaves_up_to(tables, sealed_bound),
                       checkpoints,
                       vkey, sealed_position=sealed_position,
                       positions_of=moments.positions_of,
                       indexed_versions=moments.last_indexed_versions(), progress=told)
    if progress is not None:
        progress(last, last)
    return report


def all_checkpoints(tables: SealTables) -> list[StoredCheckpoint]:
    found: list[StoredCheckpoint] = []
    while page := tables.checkpoints(found[-1].tree_size if found else 0, 1000):
        found += page
    return found


def events_up_to(recorder: ApplicationRecorder, last: int) -> Iterator[Notification]:
    """Every stored event at positions up to `last`, in order, a batch at a time."""
    after = 0
    while after < last:
        page = recorder.select_notifications(start=after, limit=BATCH, stop=last,
                                             inclusive_of_start=False)
        if not page:
            return
        yield from page
        after = page[-1].id


def leaves_up_to(tables: SealTables, last: int) -> Iterator[Leaf]:
    """Every sealed leaf of an event at a position up to `last`, in leaf order."""
    after = -1
    while page := tables.leaves(after, BATCH):
        for leaf in page:
            if leaf[1] > last:
                return
            yield leaf
        after = page[-1][0]
