"""What a new draft must satisfy: drafted afresh, or carried into a later cycle.

`Objective.draft` and `Objective.carry_into` call these; alignment targets are looked up
through the `lookup` the caller passes, as everywhere in the domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.alignment import Lookup, alignment_violations
from domain.cycle import Cycle
from domain.key_result import KeyResult, validate_key_result
from domain.objective_fields import validate_objective_fields
from domain.values import CycleState

CARRIED_KEY_RESULT_FIELDS = ("title", "kind", "description", "start", "target", "unit",
                             "direction", "due_on", "challenge", "weight")


def draft_faults(cycle: Cycle, fields: Mapping[str, Any], lookup: Lookup) -> list[tuple[str, str]]:
    """Every fault of a new draft's own fields, then (if none) of its alignment."""
    faults = validate_objective_fields(fields, creating=True)
    if cycle.state == CycleState.CLOSED.value:
        faults.append(("cycle_id", "the cycle is closed; choose a planning or active cycle"))
    if faults:
        return faults
    return alignment_violations(objective_id=None, cycle_id=str(cycle.id), fields=fields,
                                lookup=lookup)


def first_key_result_faults(key_results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every fault of a new draft's key results, named `key_results[i].field`."""
    return [(f"key_results[{index}].{field}", message)
            for index, fields in enumerate(key_results)
            for field, message in validate_key_result(fields)]


def carry_over_faults(from_cycle: Cycle, into: Cycle) -> list[tuple[str, str]]:
    faults = []
    if into.starts_on <= from_cycle.starts_on:
        faults.append(("cycle_id", f"must be a cycle starting after {from_cycle.name}"))
    if into.state == CycleState.CLOSED.value:
        faults.append(("cycle_id", "the target cycle is closed"))
    return faults


def carried_key_result(kr: KeyResult) -> dict[str, Any]:
    """A KR as it starts again in a later cycle: its definition, not its progress."""
    values = kr.to_dict()
    return {name: values[name] for name in CARRIED_KEY_RESULT_FIELDS
            if values.get(name) is not None}
