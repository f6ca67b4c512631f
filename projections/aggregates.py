"""Each aggregate as it stands right after each event of the log.

Views need more than an event says (a KR's progress after a check-in, the cycle and owner of an
adjusted objective). Rather than re-implement the domain's event bodies, each event is applied
with the domain's own `mutate`, exactly as the library does when it loads an aggregate. The
aggregates are kept between batches; when the one kept is not the version just before the event
(a replay restarted, another process advanced the views, the cache was trimmed) it is loaded at
that version from the event store, so the result never depends on what was kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository

from domain.cycle import Cycle
from domain.objective import Objective

FOLLOWED = (Objective.Event, Cycle.Event)


class AggregatesAfter:
    def __init__(self, repository: Repository, limit: int = 50_000) -> None:
        """`limit`: aggregates kept (about 2.5 kB each); the least recently used go first."""
        self.repository = repository
        self.limit = limit
        self.kept: OrderedDict[UUID, Any] = OrderedDict()

    def after(self, event: Any) -> Any:
        """The aggregate with `event` applied, or None for aggregates no view follows."""
        if not isinstance(event, FOLLOWED):
            return None
        aggregate = event.mutate(self._before(event))
        self.kept[event.originator_id] = aggregate
        self.kept.move_to_end(event.originator_id)
        if len(self.kept) > self.limit:
            self.kept.popitem(last=False)
        return aggregate

    def _before(self, event: Any) -> Any:
        if event.originator_version == 1:
            return None
        kept = self.kept.get(event.originator_id)
        if kept is not None and kept.version == event.originator_version - 1:
            return kept
        return self.repository.get(event.originator_id, version=event.originator_version - 1)
