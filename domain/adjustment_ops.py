"""The adjustment ops, each in one place: the fields a change may carry, how a requested
change is normalised into `{op, key_result_id?, before, after}`, and how an approved one
applies.

An op works on `Adjustable` (what it reads and changes of an objective), not on the Objective
class, so the aggregate depends on this module and not the other way round. The API builds
its request bodies from `OPS`, so a new op is written here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Protocol
from uuid import UUID, uuid4

from domain.alignment import Lookup, alignment_violations
from domain.key_result import (
    EDITABLE_FIELDS,
    RETARGET_FIELDS,
    KeyResult,
    new_key_result,
    span_faults,
    validate_key_result,
)
from domain.objective_fields import validate_objective_fields
from domain.values import KeyResultKind

Change = dict[str, Any]
Faults = list[tuple[str, str]]


class Adjustable(Protocol):
    """What the ops read and change of the objective being adjusted."""

    @property
    def id(self) -> UUID: ...

    @property
    def cycle_id(self) -> str: ...

    key_results: dict[str, KeyResult]
    original: dict[str, Any]

    def public_fields(self) -> dict[str, Any]: ...


class Subject(StrEnum):
    """Whose fields a change carries: the objective's, an existing KR's, or a new KR's."""

    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"
    NEW_KEY_RESULT = "new_key_result"


class AdjustmentOp:
    name: ClassVar[str]
    subject: ClassVar[Subject]
    fields: ClassVar[tuple[str, ...]]

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        raise NotImplementedError

    def apply(self, objective: Adjustable, change: Change) -> None:
        raise NotImplementedError

    def recheck(self, objective: Adjustable, change: Change, where: str,
                lookup: Lookup) -> Faults:
        """Faults found again when the change is approved (only alignment can go stale)."""
        return []

    def _picked(self, change: Mapping[str, Any], where: str,
                source: Mapping[str, Any]) -> tuple[Change | None, Faults]:
        """`before` and `after` of the fields the change sets, or why it sets none."""
        after = {name: change[name] for name in self.fields if name in change}
        unknown = sorted(set(change) - set(self.fields) - {"op", "key_result_id"})
        allowed = ", ".join(self.fields)
        faults = [(f"{where}.{name}", f"is not a field of {self.name}; allowed: {allowed}")
                  for name in unknown]
        if not after:
            faults.append((where, f"{self.name} needs at least one of {allowed}"))
        if faults:
            return None, faults
        return {"op": self.name, "before": {n: source.get(n) for n in after}, "after": after}, []


class ObjectiveFieldsOp(AdjustmentOp):
    subject = Subject.OBJECTIVE

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        current = objective.public_fields()
        result, faults = self._picked(change, where, current)
        if result is not None:
            merged = {**current, **result["after"]}
            faults += _under(where, validate_objective_fields(merged, creating=False))
        return result, faults

    def apply(self, objective: Adjustable, change: Change) -> None:
        _set_keeping_originals(objective, objective.original, change["after"])


class EditObjective(ObjectiveFieldsOp):
    name = "edit_objective"
    fields = ("title", "description")


class Realign(ObjectiveFieldsOp):
    name = "realign"
    fields = ("parent_id", "supports")

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        result, faults = super().normalise(objective, change, where, lookup)
        if result is not None and not faults:
            faults = self.recheck(objective, result, where, lookup)
        return result, faults

    def recheck(self, objective: Adjustable, change: Change, where: str,
                lookup: Lookup) -> Faults:
        """Targets must still exist, share the cycle, be live and make no loop."""
        merged = {**objective.public_fields(), **change["after"]}
        return _under(where, alignment_violations(
            objective_id=str(objective.id), cycle_id=objective.cycle_id, fields=merged,
            lookup=lookup))


class KeyResultFieldsOp(AdjustmentOp):
    """Changes an existing, active key result named by `key_result_id`."""

    subject = Subject.KEY_RESULT

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        kr, faults = _active_key_result(objective, change, where)
        if kr is None:
            return None, faults
        result, faults = self._picked(change, where, kr.to_dict())
        if result is None:
            return None, faults
        faults += _under(where, validate_key_result(result["after"], kind=kr.kind))
        merged = {"start": kr.start, "target": kr.target, **result["after"]}
        if kr.kind == KeyResultKind.METRIC.value and not faults:
            faults += span_faults(f"{where}.target", "", merged["start"], merged["target"])
        return {**result, "key_result_id": kr.id}, faults

    def apply(self, objective: Adjustable, change: Change) -> None:
        kr = objective.key_results[change["key_result_id"]]
        _set_keeping_originals(kr, kr.original, change["after"])


class RetargetKeyResult(KeyResultFieldsOp):
    name = "retarget_key_result"
    fields = RETARGET_FIELDS

    def apply(self, objective: Adjustable, change: Change) -> None:
        """A threshold KR's first new threshold: from now on check-ins are also counted
        against the original one, so `original_progress` still says how it went."""
        kr = objective.key_results[change["key_result_id"]]
        moves_threshold = kr.kind == KeyResultKind.THRESHOLD.value and "target" in change["after"]
        if moves_threshold and kr.check_ins_met_original is None:
            kr.check_ins_met_original = kr.check_ins_met
        super().apply(objective, change)


class EditKeyResult(KeyResultFieldsOp):
    name = "edit_key_result"
    fields = ("title", "description", "challenge", "weight")


class RemoveKeyResult(KeyResultFieldsOp):
    """Marks the KR removed; it stays in the objective and its history."""

    name = "remove_key_result"
    fields = ()

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        kr, faults = _active_key_result(objective, change, where)
        if kr is None:
            return None, faults
        return {"op": self.name, "key_result_id": kr.id, "before": {"removed": False},
                "after": {"removed": True}}, []


class AddKeyResult(AdjustmentOp):
    name = "add_key_result"
    subject = Subject.NEW_KEY_RESULT
    fields = (*EDITABLE_FIELDS, "kind")

    def normalise(self, objective: Adjustable, change: Mapping[str, Any], where: str,
                  lookup: Lookup) -> tuple[Change | None, Faults]:
        fields = {name: value for name, value in change.items() if name != "op"}
        faults = _under(where, validate_key_result(fields))
        if not faults and fields["kind"] == KeyResultKind.METRIC.value:
            faults = span_faults(f"{where}.target", "", fields["start"], fields["target"])
        if faults:
            return None, faults
        return {"op": self.name, "key_result_id": str(uuid4()), "before": {},
                "after": fields}, []

    def apply(self, objective: Adjustable, change: Change) -> None:
        kr_id = change["key_result_id"]
        objective.key_results[kr_id] = new_key_result(kr_id, change["after"])


OPS: dict[str, AdjustmentOp] = {op.name: op for op in (
    RetargetKeyResult(), AddKeyResult(), RemoveKeyResult(), EditObjective(), EditKeyResult(),
    Realign(),
)}


def _active_key_result(objective: Adjustable, change: Mapping[str, Any],
                       where: str) -> tuple[KeyResult | None, Faults]:
    kr_id = change.get("key_result_id")
    kr = objective.key_results.get(str(kr_id)) if kr_id else None
    if kr is None or kr.removed:
        return None, [(f"{where}.key_result_id", f"no active key result {kr_id!r} on this objective")]
    return kr, []


def _set_keeping_originals(target: object, original: dict[str, Any],
                           after: Mapping[str, Any]) -> None:
    """Set each field, remembering its value from before the first adjustment that changed it."""
    for name, value in after.items():
        original.setdefault(name, getattr(target, name))
        setattr(target, name, value)


def _under(where: str, faults: Faults) -> Faults:
    return [(f"{where}.{field}", message) for field, message in faults]
