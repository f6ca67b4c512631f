"""Compare mode of the cycle page: what changed in the alignment tree between two replay steps.

The two steps are read as the cycle's commands (`ProjectionService.cycle_moment`); the change
comes from the views' tree diff (`ProjectionService.tree_diff`, the function behind the API's
`GET /v1/cycles/{id}/tree/diff`, with no minimum delta: every move counts) and is said per
objective in words ("state In review → Active", "progress 10% → 40%"), so the tree at the
later step can mark each changed node with what changed. The steps are taken in time order
whichever slider holds the earlier one: objectives are never deleted, so going forward, what
"disappears" is an objective cancelled, which the comparison names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.service import ProjectionService
from web.cycle_view import titles
from web.rendering import percent, state_name

Words = Callable[[dict[str, Any], dict[str, str]], str]


def _state(change: dict[str, Any], names: dict[str, str]) -> str:
    return f"state {state_name(change['before'])} → {state_name(change['after'])}"


def _parent(change: dict[str, Any], names: dict[str, str]) -> str:
    def named(parent: str | None) -> str:
        return "none" if parent is None else f"‘{names.get(parent, 'another objective')}’"
    return f"aligned to {named(change['after'])} (was {named(change['before'])})"


def _supports(change: dict[str, Any], names: dict[str, str]) -> str:
    gained = ", ".join(f"‘{names.get(target, 'another objective')}’"
                       for target in change["newly_supported"])
    return f"now supports {gained}"


def _score(change: dict[str, Any], names: dict[str, str]) -> str:
    def shown(score: float | None) -> str:
        return "–" if score is None else f"{score:.2f}"
    return f"score {shown(change['before'])} → {shown(change['after'])}"


WORDS: dict[str, Words] = {
    "added": lambda change, names: f"added ({state_name(change['after']['state'])})",
    "cancelled": _state, "closed": _state, "state_changes": _state,
    "reparented": _parent, "newly_supporting": _supports,
    "owner_changes": lambda change, names: f"owner {change['before']} → {change['after']}",
    "progress_changes": lambda change, names: (
        f"progress {percent(change['before'])} → {percent(change['after'])}"),
    "score_changes": _score,
}
"""How each category of the tree diff is said, in the order a node lists its changes."""


def changes_by_objective(diff: dict[str, Any], names: dict[str, str]) -> dict[str, list[str]]:
    """Each changed objective's id with what changed, in words."""
    found: dict[str, list[str]] = {}
    for category, words in WORDS.items():
        for change in diff[category]:
            found.setdefault(change["objective_id"], []).append(words(change, names))
    return found


def comparison(views: ProjectionService, cycle_id: str, first: int,
               second: int) -> dict[str, Any]:
    """The tree at the later of the two steps, each changed objective's changes, and the two
    steps' moments (from 0; each beyond the last is the last)."""
    last = views.cycle_moments(cycle_id) - 1
    earlier, later = sorted((min(first, last), min(second, last)))
    start, end = (views.cycle_moment(cycle_id, step) for step in (earlier, later))
    diff = views.tree_diff(cycle_id, from_position=start["position"],
                           to_position=end["position"], min_delta=0)
    trees = views.tree(cycle_id, at_position=end["position"])
    names = titles(trees)
    changes = changes_by_objective(diff, names)
    return {"trees": trees, "titles": names, "changes": changes, "from_step": earlier,
            "to_step": later, "from_moment": start, "to_moment": end,
            "changed": [(objective_id, names.get(objective_id, objective_id), said)
                        for objective_id, said in changes.items()]}
