"""Mid-cycle adjustments: a reason and a list of changes, approved or rejected as a whole.

Each proposed change is normalised into `{op, key_result_id?, before, after}` when proposed,
so the audit shows what the OKR said before and what it would say after, and approval applies
exactly the `after` values that were reviewed. What each op allows and does lives in
`adjustment_ops`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.adjustment_ops import OPS, Adjustable, Change, Faults
from domain.alignment import Lookup
from domain.copying import FastDeepcopy
from domain.values import AdjustmentStatus


@dataclass
class Adjustment(FastDeepcopy):
    id: str
    reason: str
    changes: list[Change]
    proposed_by: str
    status: str = AdjustmentStatus.PENDING.value
    decided_by: str | None = None
    comment: str = ""


def normalise_changes(objective: Adjustable, changes: Sequence[object],
                      lookup: Lookup) -> tuple[list[Change], Faults]:
    """Turn requested changes into `{op, key_result_id?, before, after}`, listing every fault."""
    normalised: list[Change] = []
    violations: Faults = []
    if not changes:
        violations.append(("changes", "at least one change is required"))
    for index, change in enumerate(changes):
        where = f"changes[{index}]"
        name = change.get("op") if isinstance(change, dict) else None
        op = OPS.get(name) if isinstance(name, str) else None
        if op is None or not isinstance(change, dict):
            violations.append((f"{where}.op", f"must be one of {', '.join(OPS)}; got {name!r}"))
            continue
        result, faults = op.normalise(objective, change, where, lookup)
        violations += faults
        if result is not None:
            normalised.append(result)
    return normalised, violations


def apply_changes(objective: Adjustable, changes: Iterable[Change]) -> None:
    for change in changes:
        OPS[change["op"]].apply(objective, change)


def stale_faults(objective: Adjustable, changes: list[Change], lookup: Lookup) -> Faults:
    """What no longer holds of approved-to-be changes (a realignment's targets may be gone)."""
    return [fault for index, change in enumerate(changes)
            for fault in OPS[change["op"]].recheck(objective, change, f"changes[{index}]", lookup)]
