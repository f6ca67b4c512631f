"""`audit_log`: recompute the sealed log from the stored events and name every fault.

Three records of the same history are compared, each in one pass in order:

- the stored events, in log-position order, each re-hashed into its leaf (`integrity.leaves`);
- the sealed leaves `(leaf_index, position, hash)` the sealer recorded when it saw each event;
- the signed checkpoints, each checked against the public key and against the root of the
  sealed leaves at its size.

A fault is named by kind and log position (`Fault`):

- edited: an event's leaf differs from the one sealed at its position; or the sealed leaves
  no longer hash to a signed root (leaves rewritten to match an edit);
- deleted: a sealed position has no event; an aggregate's version is missing (between two
  stored ones, or after the last, where the moment index still records it); a sealed leaf
  row is missing;
- inserted: an event inside the sealed range that was never sealed;
- reordered: an event sealed at one position now stands at another; an aggregate's versions
  out of log order;
- truncated: the log (or the sealed leaves) ends before the last event a checkpoint signs;
- forked: a signed checkpoint that the tree of a later signed checkpoint does not extend;
- forged: a checkpoint whose signature does not verify with the log's public key, or whose
  note says other than its row.

A check may start from a tree size an earlier check verified (`VerifiedStart`): then only the
events and leaves after it are read (the server's periodic check), and what stands before it is
taken as verified; a whole check starts from nothing.

Pure: the caller streams the rows in (`integrity.verification` reads them from the store), so
the classification is tested on plain data too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from integrity.frontier import Frontier
from integrity.leaves import canonical_bytes, notification_leaf
from integrity.merkle import leaf_hash
from integrity.notes import NoteError, open_note, parse_checkpoint
from integrity.tables import StoredCheckpoint

KINDS = ("edited", "deleted", "inserted", "reordered", "truncated", "forked", "forged",
         "snapshot")
REORDER_SEARCH_LIMIT = 2000
"""Faulty positions beyond which a moved event is not looked for (each is tried at each)."""
Leaf = tuple[int, int, bytes]
"""A sealed leaf: `(leaf_index, position, hash)`."""


@dataclass(frozen=True, order=True)
class Fault:
    position: int
    kind: str
    detail: str
    leaf_index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "position": self.position, "leaf_index": self.leaf_index,
                "detail": self.detail}


@dataclass(frozen=True)
class VerifiedStart:
    """Where a check of the tail starts: a signed tree size whose root the sealed leaves were
    found to reproduce, the right edge of that tree, and the log position of its last leaf."""

    size: int
    position: int
    frontier: Frontier


@dataclass
class AuditReport:
    checked_from: int = 0
    """The tree size the check started from: 0 for a whole check, else an earlier verified
    one (only what came after it was read)."""
    events: int = 0
    sealed: int = 0
    unsealed: int = 0
    checkpoints: int = 0
    verified_size: int = 0
    """The largest signed tree size whose root the sealed leaves reproduce."""
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked_from": self.checked_from, "events": self.events,
                "sealed": self.sealed,
                "unsealed": self.unsealed, "checkpoints": self.checkpoints,
                "verified_size": self.verified_size,
                "faults": [fault.as_dict() for fault in sorted(self.faults)]}


class _Scan:
    """The state of one pass over events and sealed leaves together."""

    def __init__(self, checkpoint_sizes: set[int], sealed_position: int,
                 start: VerifiedStart | None = None) -> None:
        self.report = AuditReport()
        self.sizes = checkpoint_sizes
        self.sealed_position = sealed_position
        self.tail = start is not None
        self.frontier: Frontier | None = Frontier()
        self.roots: dict[int, bytes] = {}
        self.leaf_positions: dict[int, int] = {}
        self.last_leaf_position = 0
        self.last_event_position = 0
        if start is not None:
            self.frontier = Frontier(start.size, list(start.frontier.roots))
            self.report.checked_from = self.report.sealed = start.size
            self.roots[start.size] = start.frontier.root()
            self.leaf_positions[start.size - 1] = start.position
            self.last_leaf_position = self.last_event_position = start.position
        self.versions: dict[UUID | str, int] = {}
        self.out_of_order: set[UUID | str] = set()
        self.mismatched: dict[int, Notification] = {}
        self.missing: dict[int, int] = {}
        """Sealed positions with no event: position -> leaf index."""
        self.sealed_hashes: dict[int, bytes] = {}
        self._scratch: list[tuple[int, int, bytes]] = []

    def fault(self, kind: str, position: int, detail: str, leaf_index: int | None = None) -> None:
        self.report.faults.append(Fault(position, kind, detail, leaf_index))

    def event(self, notification: Notification, sealed: Leaf | None) -> None:
        self.report.events += 1
        self.last_event_position = notification.id
        last = self.versions.get(notification.originator_id,
                                 # an aggregate's first event in a tail follows on from before it
                                 notification.originator_version - 1 if self.tail else 0)
        if notification.originator_version != last + 1:
            self.out_of_order.add(notification.originator_id)
        self.versions[notification.originator_id] = max(last, notification.originator_version)
        if sealed is None:
            if notification.id <= self.sealed_position:
                self.fault("inserted", notification.id, (
                    f"{_named(notification)} stands inside the sealed range (sealed up to "
                    f"position {self.sealed_position}) but was never sealed"))
            else:
                self.report.unsealed += 1
            return
        if notification_leaf(notification) != sealed[2]:
            self.mismatched[notification.id] = notification
            self.sealed_hashes[notification.id] = sealed[2]
        self.leaf(sealed)

    def leaf_without_event(self, sealed: Leaf) -> None:
        self.missing[sealed[1]] = sealed[0]
        self.sealed_hashes[sealed[1]] = sealed[2]
        self.leaf(sealed)

    def leaf(self, sealed: Leaf) -> None:
        index, position, hashed = sealed
        self.report.sealed += 1
        if position <= self.last_leaf_position and index:
            self.fault("reordered", position, (
                f"sealed leaf {index} is at position {position}, not after the leaf before "
                f"it (position {self.last_leaf_position})"), index)
        self.last_leaf_position = max(self.last_leaf_position, position)
        if index in self.sizes or index + 1 in self.sizes:
            self.leaf_positions[index] = position
        if self.frontier is None:
            return
        if index != self.frontier.size:
            self.fault("deleted", position, (
                f"sealed leaves {self.frontier.size} to {index - 1} are missing before the "
                f"one at position {position}: the signed checkpoints after them cannot be "
                "recomputed"), self.frontier.size)
            self.frontier = None
            return
        self.frontier.append(hashed, self._scratch)
        self._scratch.clear()
        if self.frontier.size in self.sizes:
            self.roots[self.frontier.size] = self.frontier.root()


def audit_log(events: Iterable[Notification], leaves: Iterable[Leaf],
              checkpoints: Sequence[StoredCheckpoint], vkey: str, *, sealed_position: int,
              positions_of: Callable[[UUID], Mapping[int, int]],
              indexed_versions: Mapping[UUID, int] | None = None,
              progress: Callable[[int], None] | None = None,
              start: VerifiedStart | None = None) -> AuditReport:
    """Compare the events, the sealed leaves and the checkpoints (see the module's docstring).
    `sealed_position`: the log position the sealer recorded it sealed up to; `positions_of`:
    an aggregate's versions and their positions, read only for aggregates whose versions do
    not follow on; `indexed_versions`: the last version the moment index holds per aggregate;
    `progress`: told the count of events read, every 10,000; `start`: check only what came
    after this verified tree (the events after its last position, the leaves after it, the
    checkpoints from it on)."""
    scan = _Scan({checkpoint.tree_size for checkpoint in checkpoints}, sealed_position, start)
    _merge(scan, iter(events), iter(leaves), progress)
    _resolve_moved(scan)
    _check_versions(scan, positions_of, indexed_versions or {})
    _check_checkpoints(scan, checkpoints, vkey)
    scan.report.checkpoints = len(checkpoints)
    scan.report.faults = sorted(set(scan.report.faults))
    return scan.report


def _merge(scan: _Scan, events: Iterator[Notification], leaves: Iterator[Leaf],
           progress: Callable[[int], None] | None) -> None:
    """Walk both in position order: an event and the leaf sealed at its position together."""
    event, sealed = next(events, None), next(leaves, None)
    while event is not None or sealed is not None:
        if sealed is not None and (event is None or sealed[1] < event.id):
            scan.leaf_without_event(sealed)
            sealed = next(leaves, None)
            continue
        assert event is not None
        if sealed is not None and sealed[1] == event.id:
            scan.event(event, sealed)
            sealed = next(leaves, None)
        else:
            scan.event(event, None)
        event = next(events, None)
        if progress is not None and scan.report.events % 10_000 == 0:
            progress(scan.report.events)


def _resolve_moved(scan: _Scan) -> None:
    """Tell moved events from edited ones: an event whose leaf, hashed at another faulty
    position, is the leaf sealed there was moved from there. What is left was edited or
    deleted."""
    faulty = {**{p: None for p in scan.missing}, **{p: None for p in scan.mismatched}}
    moved_to: dict[int, int] = {}
    if len(faulty) <= REORDER_SEARCH_LIMIT:
        for position, notification in scan.mismatched.items():
            for origin in faulty:
                if origin != position and _leaf_at(notification, origin) == \
                        scan.sealed_hashes[origin]:
                    moved_to[origin] = position
                    scan.fault("reordered", position, (
                        f"{_named(notification)} was sealed at position {origin} and now "
                        f"stands at position {position}"))
                    break
    moved = set(moved_to.values())
    for position, notification in scan.mismatched.items():
        if position not in moved:
            scan.fault("edited", position, f"{_named(notification)} differs from the event "
                                           "sealed at its position")
    for position, index in scan.missing.items():
        if position not in moved_to:
            scan.fault("deleted", position, f"the event sealed at position {position} "
                                            f"(leaf {index}) is missing", index)


def _check_versions(scan: _Scan, positions_of: Callable[[UUID], Mapping[int, int]],
                    indexed: Mapping[UUID, int]) -> None:
    """Each aggregate's versions are 1, 2, 3, ... in log order; the moment index holds no
    version past the last stored one."""
    for aggregate_id in sorted(scan.out_of_order, key=str):
        stored = dict(positions_of(UUID(str(aggregate_id))))
        by_version = sorted(stored.items())
        present = set(stored)
        for version in range(1, max(present, default=0) + 1):
            if version not in present:
                after = min((p for v, p in by_version if v > version), default=0)
                scan.fault("deleted", after, f"version {version} of {aggregate_id} is missing "
                                             f"(found before the event at position {after})")
        for (v1, p1), (v2, p2) in zip(by_version, by_version[1:], strict=False):
            if p2 < p1:
                scan.fault("reordered", p2, f"version {v2} of {aggregate_id} stands at "
                                            f"position {p2}, before version {v1} at {p1}")
    for aggregate_id, last_indexed in indexed.items():
        if scan.tail and aggregate_id not in scan.versions:
            continue  # not written in the tail: its versions were verified before it
        last = scan.versions.get(aggregate_id, 0)
        if last_indexed > last:
            missing = (f"version {last_indexed}" if last_indexed == last + 1
                       else f"versions {last + 1} to {last_indexed}")
            scan.fault("deleted", scan.last_event_position, (
                f"{missing} of {aggregate_id} missing after its last stored event: the moment "
                "index, written with every event, records them"))


def _check_checkpoints(scan: _Scan, checkpoints: Sequence[StoredCheckpoint], vkey: str) -> None:
    """Every checkpoint is signed by the log's key and signs the root of the sealed leaves at
    its size; none signs more than the log holds."""
    report = scan.report
    mismatched: list[StoredCheckpoint] = []
    for checkpoint in sorted(checkpoints, key=lambda c: c.tree_size):
        last_position = scan.leaf_positions.get(checkpoint.tree_size - 1, 0)
        if not _signed(checkpoint, vkey):
            scan.fault("forged", last_position, (
                f"the checkpoint of {checkpoint.tree_size} leaves is not signed by the log's "
                "key (or its note says other than its size and root)"), checkpoint.tree_size - 1)
            continue
        root = scan.roots.get(checkpoint.tree_size)
        if root is None:
            continue  # beyond the sealed leaves: truncated, below
        if root == checkpoint.root_hash:
            report.verified_size = checkpoint.tree_size
        else:
            mismatched.append(checkpoint)
    _classify_mismatches(scan, mismatched, checkpoints)
    _check_truncation(scan, checkpoints)


def _classify_mismatches(scan: _Scan, mismatched: list[StoredCheckpoint],
                         checkpoints: Sequence[StoredCheckpoint]) -> None:
    """A checkpoint the sealed leaves do not reproduce, followed by one they do, is a fork:
    the later signed tree does not extend it. Otherwise the leaves were changed after it was
    signed: edited, somewhere since the last checkpoint they reproduce."""
    good = sorted(c.tree_size for c in checkpoints
                  if scan.roots.get(c.tree_size) == c.root_hash)
    for checkpoint in mismatched:
        size = checkpoint.tree_size
        later = [s for s in good if s > size]
        earlier = max((s for s in good if s < size), default=0)
        position = scan.leaf_positions.get(size - 1, 0)
        if later:
            scan.fault("forked", position, (
                f"the checkpoint of {size} leaves is not consistent with the signed checkpoint "
                f"of {later[0]} leaves: the tree that one signs does not extend it"), size - 1)
        else:
            first = scan.leaf_positions.get(earlier, 0)
            scan.fault("edited", position, (
                f"the sealed leaves {earlier} to {size - 1} (positions {first} to {position}) "
                f"no longer hash to the root the checkpoint of {size} leaves signs"), size - 1)


def _check_truncation(scan: _Scan, checkpoints: Sequence[StoredCheckpoint]) -> None:
    if not checkpoints:
        return
    largest = max(checkpoints, key=lambda c: c.tree_size)
    sealed = scan.report.sealed
    signed_position = scan.leaf_positions.get(largest.tree_size - 1)
    if sealed < largest.tree_size or signed_position is None:
        scan.fault("truncated", scan.last_leaf_position, (
            f"only {sealed} sealed leaves remain, but a checkpoint signs {largest.tree_size}"),
            sealed)
    elif scan.last_event_position < signed_position:
        scan.fault("truncated", scan.last_event_position, (
            f"the log ends at position {scan.last_event_position}, before position "
            f"{signed_position}, the last event the checkpoint of {largest.tree_size} leaves "
            "signs"), largest.tree_size - 1)


def _signed(checkpoint: StoredCheckpoint, vkey: str) -> bool:
    try:
        body = parse_checkpoint(open_note(checkpoint.note, vkey))
    except NoteError:
        return False
    return (body.tree_size, body.root_hash) == (checkpoint.tree_size, checkpoint.root_hash)


def _leaf_at(notification: Notification, position: int) -> bytes:
    return leaf_hash(canonical_bytes(position, notification.originator_id,
                                     notification.originator_version, notification.topic,
                                     notification.state))


def _named(notification: Notification) -> str:
    return (f"the event at position {notification.id} (version "
            f"{notification.originator_version} of {notification.originator_id})")
