"""Alignment-tree projection: a new version of an objective's node after each of its events.

A node row is valid from the position (and time) of the event that produced it until the next
event of the same objective, so the tree as it stood at any position or moment is one indexed
select. Within a batch the closing of superseded versions is worked out in memory; only the
version current before the batch needs an UPDATE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, singledispatchmethod
from typing import Any

import orjson
from eventsourcing.domain import Aggregate

from domain.cycle import Cycle
from domain.objective import Objective
from domain.scoring import rounded_progress
from projections.projection import Event, EventProjection
from projections.times import FOREVER, to_micros
from workflows.id_text import id_text

VALID_TO, TIME_TO = 3, 5
created_micros = lru_cache(maxsize=65_536)(to_micros)
"""An objective's creation time in microseconds, remembered: the same for each of its node
versions, which a rebuild writes one per event."""


@dataclass
class TreeChanges:
    versions: list[list[Any]] = field(default_factory=list)
    closes: list[tuple[int, int, str, int]] = field(default_factory=list)
    cycles: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    latest: dict[str, int] = field(default_factory=dict)

    def add_version(self, objective_id: str, row: list[Any], position: int, time: int,
                    is_first: bool) -> None:
        index = self.latest.get(objective_id)
        if index is not None:
            self.versions[index][VALID_TO], self.versions[index][TIME_TO] = position, time
        elif not is_first:
            self.closes.append((position, time, objective_id, FOREVER))
        self.latest[objective_id] = len(self.versions)
        self.versions.append(row)


class TreeProjection(EventProjection[TreeChanges]):
    """A node shows an objective's public attributes after each of its events."""

    def new_changes(self) -> TreeChanges:
        return TreeChanges()

    @singledispatchmethod
    def process(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        """Index aggregates and anything else: nothing to show, the position still moves on."""

    @process.register(Objective.Event)
    def _objective(self, event: Objective.Event, aggregate: Objective, position: int) -> None:
        time = to_micros(event.timestamp)
        objective_id = id_text(aggregate.id)
        row = [objective_id, aggregate.cycle_id, position, FOREVER, time, FOREVER,
               created_micros(aggregate.created_on), aggregate.owner, aggregate.state,
               orjson.dumps(node_data(aggregate, objective_id)).decode()]
        self.changes.add_version(objective_id, row, position, time,
                                 is_first=event.originator_version == 1)

    @process.register(Cycle.Event)
    def _cycle(self, event: Cycle.Event, aggregate: Cycle, position: int) -> None:
        self.changes.cycles[str(aggregate.id)] = (
            str(aggregate.id), aggregate.name, aggregate.state, aggregate.starts_on,
            aggregate.ends_on, aggregate.scoring_policy)


def node_data(objective: Objective, objective_id: str | None = None) -> dict[str, Any]:
    """What a tree node shows of an objective, from the domain's own properties (each KR's
    progress worked out once: a rebuild shows a node for every event)."""
    krs = objective.key_results.values()
    progress = {kr.id: kr.progress for kr in krs}
    return {
        "id": objective_id or str(objective.id), "cycle_id": objective.cycle_id,
        "title": objective.title, "owner": objective.owner, "reviewer": objective.reviewer,
        "level": objective.level, "kind": objective.kind, "state": objective.state,
        "progress": rounded_progress(objective.progress_from(progress)),
        "score": objective.score,
        "parent_id": objective.parent_id, "supports": list(objective.supports),
        "key_results": [
            {"id": kr.id, "title": kr.title, "kind": kr.kind,
             "progress": rounded_progress(progress[kr.id]),
             "confidence": kr.confidence, "self_score": kr.self_score,
             "final_score": kr.final_score, "removed": kr.removed}
            for kr in krs],
    }
