"""The common shape of a view's projection: events in, one batch of pending changes out.

The library's `Projection.process_event(event, tracking)` writes one event per transaction and
sees only the event. Ours collect a batch (written with its last position in one transaction by
the view) and also receive the aggregate as it stands after the event; `process` is a
`singledispatchmethod` per event class in each subclass, and events a view ignores still move
its position forward.
"""

from __future__ import annotations

from typing import Any


class EventProjection:
    def __init__(self) -> None:
        self.changes = self.new_changes()

    def new_changes(self) -> Any:
        raise NotImplementedError

    def process(self, event: Any, aggregate: Any, position: int) -> None:
        raise NotImplementedError

    def take(self) -> Any:
        """The changes collected since the last take, leaving an empty batch behind."""
        changes, self.changes = self.changes, self.new_changes()
        return changes

    def discard(self) -> None:
        self.changes = self.new_changes()
