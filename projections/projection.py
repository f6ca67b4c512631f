"""The common shape of a view's projection: events in, one batch of pending changes out.

The library's `Projection.process_event(event, tracking)` writes one event per transaction and
sees only the event. Ours collect a batch (written with its last position in one transaction by
the view) and also receive the aggregate as it stands after the event, rebuilt from the log
(`projections.aggregates`): views read its public attributes, never its entity containers.
Each subclass declares `process` as a `singledispatchmethod` over event classes; `handle` looks
the handler up once per event class (binding a singledispatchmethod on every call is slow enough
to matter in a replay of millions of events). Events a view ignores still move its position;
`handles` tells the follower which event classes a view does anything with, so it can skip
calling the others (most of a log is check-ins, which two of the four views ignore).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import singledispatchmethod
from inspect import getattr_static
from typing import Any, Generic, TypeVar

from eventsourcing.domain import Aggregate, DomainEventProtocol

Changes = TypeVar("Changes")
Event = DomainEventProtocol[Any]
Handler = Callable[["EventProjection[Any]", Event, Aggregate | None, int], None]


def event_class(aggregate: type, name: str) -> type:
    """One of `aggregate`'s event classes, which the library's `@event` decorator makes when the
    class is defined, so a type checker cannot see them as attributes."""
    found: type = vars(aggregate)[name]
    return found


class EventProjection(ABC, Generic[Changes]):
    process: singledispatchmethod[None]

    def __init__(self) -> None:
        self.changes = self.new_changes()
        self._handlers: dict[type, Handler] = {}

    @abstractmethod
    def new_changes(self) -> Changes:
        """An empty batch of this view's changes."""

    def handle(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is None:
            handler = getattr_static(type(self), "process").dispatcher.dispatch(type(event))
            self._handlers[type(event)] = handler
        handler(self, event, aggregate, position)

    def handles(self, event_type: type) -> bool:
        """Whether `process` has a handler of its own for events of `event_type`, rather than
        the catch-all that ignores them. Read from the class's declared handlers, never from
        the instance, so a `handle` replaced on an instance (a test injecting a fault) is still
        what the follower calls for the events the view declares."""
        dispatcher = getattr_static(type(self), "process").dispatcher
        return dispatcher.dispatch(event_type) is not dispatcher.dispatch(object)

    def take(self) -> Changes:
        """The changes collected since the last take, leaving an empty batch behind."""
        changes, self.changes = self.changes, self.new_changes()
        return changes

    def discard(self) -> None:
        self.changes = self.new_changes()

