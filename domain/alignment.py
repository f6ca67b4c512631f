"""Alignment rules across objectives: vertical (parent) and horizontal (supports).

Parents and supported objectives must exist, be in the same cycle and not be cancelled, and
the graph of both kinds of edges has no loops. Checking needs other objectives, so the caller
passes `lookup(objective_id)`, which returns the objective or None; the domain stays free of
any store. (That a company objective has no parent needs no other objective: it is a field
rule, in `objective_fields`.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from domain.values import ObjectiveState


class Alignable(Protocol):
    """What alignment reads of another objective."""

    @property
    def cycle_id(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def parent_id(self) -> str | None: ...

    @property
    def supports(self) -> list[str]: ...


Lookup = Callable[[str], Alignable | None]


def alignment_violations(*, objective_id: str | None, cycle_id: str,
                         fields: Mapping[str, Any], lookup: Lookup) -> list[tuple[str, str]]:
    """Every fault in the alignment (`parent_id`, `supports`) of objective `objective_id`
    (None if new), whose other fields are already valid."""
    parent_id: str | None = fields.get("parent_id")
    supports: list[str] = fields.get("supports") or []
    faults: list[tuple[str, str]] = []
    targets = ([("parent_id", parent_id)] if parent_id else [])
    targets += [(f"supports[{i}]", target) for i, target in enumerate(supports)]
    if len(set(supports)) != len(supports):
        faults.append(("supports", "lists an objective more than once"))
    for field, target in targets:
        faults += _target_faults(field, target, objective_id, cycle_id, lookup)
    if objective_id and not faults and _reaches(objective_id, [t for _, t in targets], lookup):
        faults.append(("parent_id" if parent_id else "supports",
                       "this alignment would make a loop: the target already aligns to this objective"))
    return faults


def _target_faults(field: str, target: str, objective_id: str | None, cycle_id: str,
                   lookup: Lookup) -> list[tuple[str, str]]:
    if objective_id and target == objective_id:
        return [(field, "an objective cannot align to itself")]
    other = lookup(target)
    if other is None:
        return [(field, f"no objective {target}")]
    if other.cycle_id != cycle_id:
        return [(field, f"objective {target} is in another cycle")]
    if other.state == ObjectiveState.CANCELLED.value:
        return [(field, f"objective {target} is cancelled")]
    return []


def _reaches(objective_id: str, starts: list[str], lookup: Lookup) -> bool:
    """Whether following parent and supports edges from `starts` leads back to the objective."""
    seen: set[str] = set()
    frontier = list(starts)
    while frontier:
        current = frontier.pop()
        if current == objective_id:
            return True
        if current in seen:
            continue
        seen.add(current)
        node = lookup(current)
        if node is not None:
            frontier += ([node.parent_id] if node.parent_id else []) + list(node.supports)
    return False
