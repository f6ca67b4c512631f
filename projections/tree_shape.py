"""Shaping node rows into alignment trees, with progress rolled up from the children.

A node's `aligned_progress` is the weighted average of its own progress and the aligned progress
of each child that is not cancelled, each counting with weight 1: a leaf's aligned progress is
its own, and a parent moves with the work aligned under it. `supports` stay cross-links (ids);
only `parent_id` builds the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import NotFoundError
from domain.scoring import rounded_progress, weighted_average
from domain.values import ObjectiveState

CANCELLED = ObjectiveState.CANCELLED.value


@dataclass(frozen=True)
class Shaped:
    """A cycle's assembled trees: the roots, and every assembled node by id."""

    roots: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]

    def trees(self, root_id: str | None = None) -> list[dict[str, Any]]:
        """Roots (objectives without a parent in the cycle), or the one `root_id` subtree."""
        if root_id is None:
            return self.roots
        if root_id not in self.by_id:
            raise NotFoundError("objective in this cycle", root_id)
        return [self.by_id[root_id]]


def assemble(nodes: list[dict[str, Any]], root_id: str | None = None) -> list[dict[str, Any]]:
    """Roots (objectives without a parent in `nodes`), or the one `root_id` subtree."""
    return shape(nodes).trees(root_id)


def shape(nodes: list[dict[str, Any]]) -> Shaped:
    by_id = {node["id"]: {**node, "children": []} for node in nodes}
    roots: list[dict[str, Any]] = []
    for node in by_id.values():
        parent = by_id.get(node["parent_id"]) if node["parent_id"] else None
        (parent["children"] if parent is not None else roots).append(node)
    roll_up(roots)
    return Shaped(roots, by_id)


def reshape(shaped: Shaped, changed: list[dict[str, Any]]) -> Shaped | None:
    """`shaped` with new versions of nodes it holds, or None if one was added or moved.

    Assembling 50,000 nodes takes ~0.5 s, while a check-in changes one node and the rolled-up
    progress of its ancestors. Only that path is copied (persistent-tree style): readers still
    holding the previous trees see them unchanged, and every other subtree is shared.
    """
    by_id, roots = dict(shaped.by_id), list(shaped.roots)
    for node in changed:
        old = by_id.get(node["id"])
        if old is None or old["parent_id"] != node["parent_id"]:
            return None
        if not _replace(by_id, roots, old, {**node, "children": old["children"]}):
            return None
    return Shaped(roots, by_id)


def _replace(by_id: dict[str, dict[str, Any]], roots: list[dict[str, Any]],
             old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Put `new` where `old` was, then copy each ancestor with its progress rolled up again;
    False if no root is reached (a parent loop, which alignment rules forbid)."""
    for _ in range(len(by_id)):
        _roll(new)
        by_id[new["id"]] = new
        parent = by_id.get(new["parent_id"]) if new["parent_id"] else None
        siblings = parent["children"] if parent is not None else roots
        replaced = [new if sibling is old else sibling for sibling in siblings]
        if parent is None:
            roots[:] = replaced
            return True
        old, new = parent, {**parent, "children": replaced}
    return False


def roll_up(roots: list[dict[str, Any]]) -> None:
    """Fill in `aligned_progress` bottom-up, without recursion (trees may be deep)."""
    order: list[dict[str, Any]] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node["children"])
    for node in reversed(order):
        _roll(node)


def _roll(node: dict[str, Any]) -> None:
    pairs = [(node["progress"], 1.0)]
    pairs += [(child["aligned_progress"], 1.0) for child in node["children"]
              if child["state"] != CANCELLED]
    node["aligned_progress"] = rounded_progress(weighted_average(pairs))
