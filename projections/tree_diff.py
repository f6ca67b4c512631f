"""What changed in a cycle's alignment tree between two points of the log.

`tree_changes` compares the cycle's nodes at two points (from the tree view, `TreeTables.nodes`)
and sorts what differs into the questions a reviewer asks: which objectives were added,
cancelled, closed, re-parented or began supporting another; which changed state otherwise or
changed owner; and whose progress or score moved by at least `min_delta`. Every change names the objective (id
and title as it stands at the later point) with its value before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError

Node = dict[str, Any]
DEFAULT_MIN_DELTA = 0.05
CATEGORIES = ("added", "cancelled", "closed", "reparented", "newly_supporting", "state_changes",
              "owner_changes", "progress_changes", "score_changes")


def tree_changes(before: Iterable[Node], after: Iterable[Node],
                 min_delta: float = DEFAULT_MIN_DELTA) -> dict[str, list[dict[str, Any]]]:
    """Each category of `CATEGORIES` with its changes, objectives in the order drafted.
    `state_changes` holds the state changes not already listed as cancelled or closed."""
    delta = check_min_delta(min_delta)
    old = {node["id"]: node for node in before}
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in CATEGORIES}
    for node in after:
        previous = old.get(node["id"])
        if previous is None:
            found["added"].append(_change(node, None, _shown(node)))
            continue
        for category, compare in COMPARISONS:
            change = compare(previous, node, delta)
            if change is not None:
                found[category(previous, node)].append(change)
    return found


def check_min_delta(min_delta: object) -> Decimal:
    if (isinstance(min_delta, bool) or not isinstance(min_delta, int | float)
            or not 0 <= min_delta <= 1):
        raise ValidationError([("min_delta", f"must be a number from 0 to 1; got {min_delta!r}")])
    return Decimal(str(min_delta))


def _change(node: Node, before: Any, after: Any) -> dict[str, Any]:
    return {"objective_id": node["id"], "title": node["title"], "before": before, "after": after}


def _shown(node: Node) -> dict[str, Any]:
    return {name: node.get(name) for name in ("state", "level", "owner", "parent_id", "supports",
                                              "progress", "score")}


def _state(previous: Node, node: Node, delta: Decimal) -> dict[str, Any] | None:
    if previous["state"] == node["state"]:
        return None
    return _change(node, previous["state"], node["state"])


def _state_category(previous: Node, node: Node) -> str:
    return node["state"] if node["state"] in ("cancelled", "closed") else "state_changes"


def _same(name: str) -> Callable[[Node, Node, Decimal], dict[str, Any] | None]:
    def compare(previous: Node, node: Node, delta: Decimal) -> dict[str, Any] | None:
        if previous.get(name) == node.get(name):
            return None
        return _change(node, previous.get(name), node.get(name))
    return compare


def _supports(previous: Node, node: Node, delta: Decimal) -> dict[str, Any] | None:
    gained = [target for target in node.get("supports") or []
              if target not in (previous.get("supports") or [])]
    if not gained:
        return None
    return {**_change(node, previous.get("supports") or [], node.get("supports") or []),
            "newly_supported": gained}


def _moved(name: str) -> Callable[[Node, Node, Decimal], dict[str, Any] | None]:
    def compare(previous: Node, node: Node, delta: Decimal) -> dict[str, Any] | None:
        old, new = previous.get(name), node.get(name)
        if old == new:
            return None
        if old is not None and new is not None and abs(Decimal(str(new)) - Decimal(str(old))) < delta:
            return None
        return _change(node, old, new)
    return compare


def _fixed(category: str) -> Callable[[Node, Node], str]:
    return lambda previous, node: category


COMPARISONS: tuple[tuple[Callable[[Node, Node], str],
                         Callable[[Node, Node, Decimal], dict[str, Any] | None]], ...] = (
    (_state_category, _state),
    (_fixed("reparented"), _same("parent_id")),
    (_fixed("newly_supporting"), _supports),
    (_fixed("owner_changes"), _same("owner")),
    (_fixed("progress_changes"), _moved("progress")),
    (_fixed("score_changes"), _moved("score")),
)
"""Where each comparison files what it finds."""
