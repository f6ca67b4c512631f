"""Replaying an aggregate's events into its state, for loads and for snapshots.

The library's default projector (`eventsourcing.application.project_aggregate`) asserts
`isinstance(event, CanMutateProtocol)` for every event. On Python 3.11 a runtime-checkable
Protocol check walks the protocol's members each time; profiling benchmark row 4 showed it took
about 60% of replaying an objective, more than decoding the stored JSON. Every event the ledger
stores is an `Aggregate` event or a `Snapshot`, both of which have `mutate`, so this is the
library's loop without that check, handed to the library through its own hooks
(`Repository.get(projector_func=...)` and `Application.snapshotting_projectors`).

`checked_replay` is the loop the ledger loads with: a stored history with a version missing
(an event deleted from the store) or an event that cannot be read or applied (changed past
reading) is refused with a `DamagedHistoryError` that names the version, where the library would fail
with an assertion or its own version error, which the API could only answer as a bare 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from eventsourcing.domain import Aggregate, CanMutateProtocol, DomainEventProtocol, Snapshot

from domain.errors import DamagedHistoryError

UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)
"""What decoding stored bytes that are not an event raises (bad JSON, bad UTF-8, fields that
are not the event's, a topic that names no class)."""


def replay(aggregate: Aggregate | None,
           events: Iterable[DomainEventProtocol[Any]]) -> Aggregate | None:
    """Apply `events` in order to `aggregate` (None before the first) and return the result."""
    for event in events:
        aggregate = cast(CanMutateProtocol[Aggregate], event).mutate(aggregate)
    return aggregate


def checked_replay(aggregate: Aggregate | None,
                   events: Iterable[DomainEventProtocol[Any]]) -> Aggregate | None:
    """`replay`, refusing a history whose versions do not follow on from one another (a
    snapshot may start it) and one with an event that cannot be read."""
    for event in _read(aggregate, events):
        expected = 1 if aggregate is None else aggregate.version + 1
        if event.originator_version != expected and not (
                aggregate is None and isinstance(event, Snapshot)):
            raise DamagedHistoryError(event.originator_id, expected, "is missing")
        try:
            aggregate = cast(CanMutateProtocol[Aggregate], event).mutate(aggregate)
        except UNREADABLE as error:  # its stored fields are not the event's
            raise DamagedHistoryError(event.originator_id, event.originator_version,
                                      f"cannot be applied ({type(error).__name__}: {error})"
                                      ) from error
    return aggregate


def _read(aggregate: Aggregate | None, events: Iterable[DomainEventProtocol[Any]]
          ) -> Iterator[DomainEventProtocol[Any]]:
    """The events as the store decodes them; one it cannot decode is damage at the version
    after the last one read."""
    iterator = iter(events)
    read = 0 if aggregate is None else aggregate.version
    while True:
        try:
            event = next(iterator)
        except StopIteration:
            return
        except UNREADABLE as error:
            raise DamagedHistoryError(getattr(aggregate, "id", "?"), read + 1,
                                      f"cannot be read ({type(error).__name__})") from error
        read = event.originator_version
        yield event
