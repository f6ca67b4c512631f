"""The current trees of recently read cycles, kept in memory and refreshed by what changed.

Decoding and assembling every node of a large cycle on each read is too slow for an API, so the
current nodes of a cycle are kept and refreshed with one indexed select of the versions that
became current since the last read; the assembled trees are kept, and a change to nodes already
in them copies only the changed nodes' paths to their roots (`reshape`); a node added or moved
to another parent assembles the cycle again. A
tree at a past position the view has reached cannot change any more, so a few are kept too. The
view's rows are the only source: a refresh can never disagree with the view. Returned trees are
shared between readers and must be treated as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from projections.tree_shape import Shaped, assemble, reshape, shape
from projections.tree_view import TreeTables


@dataclass
class CycleNodes:
    position: int = -1
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    order: dict[str, tuple[int, str]] = field(default_factory=dict)
    shaped: Shaped | None = None


class CurrentTrees:
    def __init__(self, view: TreeTables, cycles_kept: int = 8, past_kept: int = 16) -> None:
        self.view, self.cycles_kept, self.past_kept = view, cycles_kept, past_kept
        self.cycles: OrderedDict[str, CycleNodes] = OrderedDict()
        self.past: OrderedDict[tuple[str, str | None, int], list[dict[str, Any]]] = OrderedDict()
        self.lock = threading.Lock()

    def tree_at(self, cycle_id: str, root_id: str | None, position: int) -> list[dict[str, Any]]:
        """A tree at a position the view has reached: it can no longer change, so it is kept."""
        key = (cycle_id, root_id, position)
        with self.lock:
            if key in self.past:
                self.past.move_to_end(key)
                return self.past[key]
        trees = assemble(self.view.nodes(cycle_id, at_position=position), root_id)
        with self.lock:
            self.past[key] = trees
            while len(self.past) > self.past_kept:
                self.past.popitem(last=False)
        return trees

    def tree(self, cycle_id: str, root_id: str | None) -> list[dict[str, Any]]:
        with self.lock:
            kept = self._refreshed(cycle_id)
            if kept.shaped is None:
                kept.shaped = shape(list(kept.nodes.values()))
            return kept.shaped.trees(root_id)

    def nodes(self, cycle_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self._refreshed(cycle_id).nodes.values())

    def forget(self) -> None:
        with self.lock:
            self.cycles.clear()
            self.past.clear()

    def _refreshed(self, cycle_id: str) -> CycleNodes:
        kept = self.cycles.pop(cycle_id, None) or CycleNodes()
        if self.view.max_valid_from(cycle_id) < kept.position:
            kept = CycleNodes()
        rows = self.view.current_since(cycle_id, kept.position)
        if rows:
            self._apply(kept, rows)
        self.cycles[cycle_id] = kept
        while len(self.cycles) > self.cycles_kept:
            self.cycles.popitem(last=False)
        return kept

    @staticmethod
    def _apply(kept: CycleNodes, rows: list[tuple[int, int, dict[str, Any]]]) -> None:
        added = False
        for valid_from, created, node in rows:
            added = added or node["id"] not in kept.nodes
            kept.nodes[node["id"]] = node
            kept.order[node["id"]] = (created, node["id"])
            kept.position = max(kept.position, valid_from)
        if added:
            kept.nodes = dict(sorted(kept.nodes.items(), key=lambda item: kept.order[item[0]]))
        if kept.shaped is not None:
            kept.shaped = reshape(kept.shaped, [node for _, _, node in rows])
