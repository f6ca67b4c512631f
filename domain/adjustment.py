"""Mid-cycle adjustments: a reason and a list of changes, approved or rejected as a whole.

Each proposed change is normalised into `{op, key_result_id?, before, after}` when proposed,
so the audit shows what the OKR said before and what it would say after, and approval applies
exactly the `after` values that were reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.copying import FastDeepcopy
from domain.key_result import KeyResult, validate_key_result
from domain.objective_fields import validate_objective_fields
from domain.values import AdjustmentStatus

if TYPE_CHECKING:
    from domain.objective import Objective

OPS = (
    "retarget_key_result", "add_key_result", "remove_key_result", "edit_objective",
    "edit_key_result", "realign",
)
OP_FIELDS = {
    "retarget_key_result": ("start", "target", "unit"),
    "edit_key_result": ("title", "description", "challenge", "weight"),
    "edit_objective": ("title", "description"),
    "realign": ("parent_id", "supports"),
}


@dataclass
class Adjustment(FastDeepcopy):
    id: str
    reason: str
    changes: list[dict[str, Any]]
    proposed_by: str
    status: str = AdjustmentStatus.PENDING.value
    decided_by: str | None = None
    comment: str = ""


def normalise_changes(
    objective: Objective, changes: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Turn requested changes into `{op, key_result_id?, before, after}`, listing every fault."""
    normalised: list[dict[str, Any]] = []
    violations: list[tuple[str, str]] = []
    if not changes:
        violations.append(("changes", "at least one change is required"))
    for index, change in enumerate(changes):
        result, faults = _normalise_one(objective, change, f"changes[{index}]")
        violations += faults
        if result is not None:
            normalised.append(result)
    return normalised, violations


def _normalise_one(objective: Objective, change: dict[str, Any], where: str):
    op = change.get("op")
    if op not in OPS:
        return None, [(f"{where}.op", f"must be one of {', '.join(OPS)}; got {op!r}")]
    if op == "add_key_result":
        return _add_key_result(change, where)
    if op == "edit_objective" or op == "realign":
        result, faults = _edit_fields(op, change, where, source=objective.public_fields())
        if result is not None:
            merged = {**objective.public_fields(), **result["after"]}
            faults += [(f"{where}.{f}", m)
                       for f, m in validate_objective_fields(merged, creating=False)]
        return result, faults
    kr, faults = _existing_key_result(objective, change, where)
    if kr is None:
        return None, faults
    if op == "remove_key_result":
        return {"op": op, "key_result_id": kr.id, "before": {"removed": False},
                "after": {"removed": True}}, []
    result, faults = _edit_fields(op, change, where, source=kr.to_dict())
    if result is not None:
        result["key_result_id"] = kr.id
        faults += [(f"{where}.{f}", m) for f, m in validate_key_result(result["after"], kind=kr.kind)]
        merged = {"start": kr.start, "target": kr.target, **result["after"]}
        if kr.kind == "metric" and merged["start"] == merged["target"]:
            faults.append((f"{where}.target", f"must differ from start ({merged['start']})"))
    return result, faults


def _add_key_result(change: dict[str, Any], where: str):
    fields = {k: v for k, v in change.items() if k != "op"}
    faults = [(f"{where}.{f}", m) for f, m in validate_key_result(fields)]
    if faults:
        return None, faults
    return {"op": "add_key_result", "key_result_id": str(uuid4()), "before": {},
            "after": fields}, []


def _edit_fields(op: str, change: dict[str, Any], where: str, source: dict[str, Any]):
    allowed = OP_FIELDS[op]
    after = {name: change[name] for name in allowed if name in change}
    unknown = sorted(set(change) - set(allowed) - {"op", "key_result_id"})
    faults = [(f"{where}.{name}", f"is not a field of {op}; allowed: {', '.join(allowed)}")
              for name in unknown]
    if not after:
        faults.append((where, f"{op} needs at least one of {', '.join(allowed)}"))
    if faults:
        return None, faults
    before = {name: source.get(name) for name in after}
    return {"op": op, "before": before, "after": after}, []


def _existing_key_result(objective: Objective, change: dict[str, Any], where: str):
    kr_id = change.get("key_result_id")
    kr: KeyResult | None = objective.key_results.get(str(kr_id)) if kr_id else None
    if kr is None or kr.removed:
        return None, [(f"{where}.key_result_id", f"no active key result {kr_id!r} on this objective")]
    return kr, []
