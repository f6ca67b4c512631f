"""Shaping node rows into alignment trees, with progress rolled up from the children.

A node's `aligned_progress` is the weighted average of its own progress and the aligned progress
of each child that is not cancelled, each counting with weight 1: a leaf's aligned progress is
its own, and a parent moves with the work aligned under it. `supports` stay cross-links (ids);
only `parent_id` builds the tree.
"""

from __future__ import annotations

from typing import Any

from domain.errors import NotFoundError
from domain.scoring import weighted_average
from domain.values import ObjectiveState

CANCELLED = ObjectiveState.CANCELLED.value


def assemble(nodes: list[dict[str, Any]], root_id: str | None = None) -> list[dict[str, Any]]:
    """Roots (objectives without a parent in `nodes`), or the one `root_id` subtree."""
    by_id = {node["id"]: {**node, "children": []} for node in nodes}
    roots = []
    for node in by_id.values():
        parent = by_id.get(node["parent_id"]) if node["parent_id"] else None
        (parent["children"] if parent is not None else roots).append(node)
    roll_up(roots)
    if root_id is None:
        return roots
    if root_id not in by_id:
        raise NotFoundError("objective in this cycle", root_id)
    return [by_id[root_id]]


def roll_up(roots: list[dict[str, Any]]) -> None:
    """Fill in `aligned_progress` bottom-up, without recursion (trees may be deep)."""
    order: list[dict[str, Any]] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node["children"])
    for node in reversed(order):
        pairs = [(node["progress"], 1.0)]
        pairs += [(child["aligned_progress"], 1.0) for child in node["children"]
                  if child["state"] != CANCELLED]
        node["aligned_progress"] = weighted_average(pairs)
