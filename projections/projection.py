"""The common shape of a view's projection: events in, one batch of pending changes out.

The library's `Projection.process_event(event, tracking)` writes one event per transaction and
sees only the event. Ours collect a batch (written with its last position in one transaction by
the view) and also receive the aggregate as it stands after the event. Each subclass declares
`process` as a `singledispatchmethod` over event classes; `handle` looks the handler up once
per event class (binding a singledispatchmethod on every call is slow enough to matter in a
replay of millions of events). Events a view ignores still move its position forward.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from inspect import getattr_static
from typing import Any

Handler = Callable[[Any, Any, Any, int], None]


class EventProjection(ABC):
    process: Any

    def __init__(self) -> None:
        self.changes = self.new_changes()
        self._handlers: dict[type, Handler] = {}

    @abstractmethod
    def new_changes(self) -> Any:
        """Supplied by each concrete subclass."""

    def handle(self, event: Any, aggregate: Any, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is None:
            handler = getattr_static(type(self), "process").dispatcher.dispatch(type(event))
            self._handlers[type(event)] = handler
        handler(self, event, aggregate, position)

    def take(self) -> Any:
        """The changes collected since the last take, leaving an empty batch behind."""
        changes, self.changes = self.changes, self.new_changes()
        return changes

    def discard(self) -> None:
        self.changes = self.new_changes()
