"""Replaying an aggregate's events into its state, for loads and for snapshots.

The library's default projector (`eventsourcing.application.project_aggregate`) asserts
`isinstance(event, CanMutateProtocol)` for every event. On Python 3.11 a runtime-checkable
Protocol check walks the protocol's members each time; profiling benchmark row 4 showed it took
about 60% of replaying an objective, more than decoding the stored JSON. Every event the ledger
stores is an `Aggregate` event or a `Snapshot`, both of which have `mutate`, so this is the
library's loop without that check, handed to the library through its own hooks
(`Repository.get(projector_func=...)` and `Application.snapshotting_projectors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from eventsourcing.domain import Aggregate, CanMutateProtocol, DomainEventProtocol


def replay(aggregate: Aggregate | None,
           events: Iterable[DomainEventProtocol[Any]]) -> Aggregate | None:
    """Apply `events` in order to `aggregate` (None before the first) and return the result."""
    for event in events:
        aggregate = cast(CanMutateProtocol[Aggregate], event).mutate(aggregate)
    return aggregate
