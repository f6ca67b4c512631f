"""Key results: the quantified measures of an objective, held as entities inside it.

Three kinds cover the method's advice: `metric` (move a number from start to target; a target
below the start means "decrease"), `threshold` (keep a process metric above or below a value,
e.g. "keep average delivery time around 20 days") and `milestone` ("time + output": done by a
due date).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from domain.copying import FastDeepcopy
from domain.scoring import suggested_score
from domain.validation import MAX_MAGNITUDE, TITLE_LENGTH, is_number, text_faults
from domain.values import Challenge, Direction, KeyResultKind, parse_enum

MILESTONE, THRESHOLD = KeyResultKind.MILESTONE.value, KeyResultKind.THRESHOLD.value
"""Read on every progress computation: an Enum's `.value` is a descriptor call each time."""
RETARGET_FIELDS = ("start", "target", "unit")
"""What a retarget changes; a KR an approved adjustment retargeted reports `original_progress`."""
_REACH = 2 * MAX_MAGNITUDE
"""The widest distance a check-in's value can be from the start."""


@dataclass
class KeyResult(FastDeepcopy):
    id: str
    title: str
    kind: str
    description: str = ""
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str = ""
    direction: str | None = None
    done: bool = False
    due_on: str | None = None
    challenge: str = Challenge.COMMITTED.value
    weight: float = 1.0
    confidence: float | None = None
    check_ins: int = 0
    check_ins_met: int = 0
    self_score: float | None = None
    self_note: str = ""
    final_score: float | None = None
    override_reason: str = ""
    removed: bool = False
    original: dict[str, Any] = field(default_factory=dict)
    check_ins_met_original: int | None = None
    """For a threshold KR whose threshold was adjusted: check-ins that met the original one."""

    @property
    def progress(self) -> float:
        """Completion as a finite ratio, never below 0 (a metric may exceed 1)."""
        if self.kind == MILESTONE:
            return 1.0 if self.done else 0.0
        if self.kind == THRESHOLD:
            return self.check_ins_met / self.check_ins if self.check_ins else 0.0
        if self.target is None or self.start is None or not measurable(self.start, self.target):
            return 0.0
        current = self.start if self.current is None else self.current
        return max(0.0, (current - self.start) / (self.target - self.start))

    def suggested_score(self, policy: str) -> float:
        return suggested_score(self.progress, self.challenge, policy)

    def meets_threshold(self, value: float, threshold: float | None = None) -> bool:
        """Whether `value` meets the KR's threshold (or `threshold`, an earlier one)."""
        threshold = self.target if threshold is None else threshold
        if threshold is None:
            return False
        if self.direction == Direction.BELOW.value:
            return value <= threshold
        return value >= threshold

    @property
    def retargeted(self) -> bool:
        """Whether an approved adjustment changed the KR's start, target or unit."""
        return any(name in self.original for name in RETARGET_FIELDS)

    @property
    def original_progress(self) -> float | None:
        """Progress against the KR as first approved; None unless it was retargeted."""
        if not self.retargeted:
            return None
        before = KeyResult(id=self.id, title=self.title, kind=self.kind, current=self.current,
                           done=self.done, direction=self.direction, check_ins=self.check_ins)
        before.start = self.original.get("start", self.start)
        before.target = self.original.get("target", self.target)
        before.check_ins_met = (self.check_ins_met if self.check_ins_met_original is None
                                else self.check_ins_met_original)
        return before.progress

    def original_threshold(self) -> float | None:
        """The threshold check-ins are also counted against once an adjustment moved it."""
        if self.check_ins_met_original is None:
            return None
        threshold: float | None = self.original.get("target")
        return threshold

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EDITABLE_FIELDS = (
    "title", "description", "start", "target", "unit", "direction", "due_on", "challenge",
    "weight",
)


def new_key_result(kr_id: str, fields: dict[str, Any]) -> KeyResult:
    """A KR from validated fields; a metric starts at its start value."""
    kr = KeyResult(id=kr_id, title=fields["title"], kind=fields["kind"])
    apply_fields(kr, fields)
    if kr.kind == KeyResultKind.METRIC.value:
        kr.current = kr.start
    if kr.kind == KeyResultKind.THRESHOLD.value and kr.direction is None:
        kr.direction = Direction.ABOVE.value
    return kr


def measurable(start: float, target: float) -> bool:
    """Whether progress from `start` to `target` is a finite ratio for any value a check-in
    may report: the two differ, and not by so little (a subnormal amount, say) that dividing
    by the difference overflows."""
    return target != start and math.isfinite(_REACH / abs(target - start))


def span_faults(where: str, title: str, start: float | None,
                target: float | None) -> list[tuple[str, str]]:
    """A metric KR's target must differ measurably from its start."""
    if start is None or target is None or measurable(start, target):
        return []
    named = f"'{title}': " if title else ""
    return [(where, f"{named}target must differ from start ({start!r}) by an amount progress "
                    f"can be measured against; got {target!r}")]


def apply_fields(kr: KeyResult, fields: dict[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(kr, name, fields[name])


def validate_key_result(fields: dict[str, Any], *, kind: str | None = None) -> list[tuple[str, str]]:
    """Every fault of a KR's fields; `kind` is the existing KR's kind when editing."""
    creating = kind is None
    allowed = EDITABLE_FIELDS + (("kind",) if creating else ())
    violations = [(name, f"is not a key result field; allowed: {', '.join(allowed)}")
                  for name in fields if name not in allowed]
    if creating:
        kind = fields.get("kind")
        violations += parse_enum(KeyResultKind, kind, "kind")
    violations += text_faults(fields, "title", required=creating or "title" in fields,
                              max_length=TITLE_LENGTH)
    violations += text_faults(fields, "description", required=False)
    violations += text_faults(fields, "unit", required=False, max_length=TITLE_LENGTH)
    if "challenge" in fields:
        violations += parse_enum(Challenge, fields["challenge"], "challenge")
    violations += _validate_numbers(fields)
    violations += _validate_kind_fields(kind, fields, creating=creating)
    return violations


def _validate_numbers(fields: dict[str, Any]) -> list[tuple[str, str]]:
    violations = []
    for name in ("start", "target"):
        value = fields.get(name)
        if value is not None and not is_number(value):
            violations.append((name, "must be a number"))
    if "weight" in fields:
        weight = fields["weight"]
        if not is_number(weight) or weight <= 0:
            violations.append(("weight", "must be a number greater than 0"))
    return violations


def _validate_kind_fields(kind: object, fields: dict[str, Any],
                          creating: bool) -> list[tuple[str, str]]:
    violations: list[tuple[str, str]] = []
    if kind == KeyResultKind.METRIC.value and creating:
        for name in ("start", "target"):
            if fields.get(name) is None:
                violations.append((name, "is required for a metric key result"))
    if kind == KeyResultKind.THRESHOLD.value:
        if creating and fields.get("target") is None:
            violations.append(("target", "is required for a threshold key result (the threshold)"))
        if fields.get("direction") is not None:
            violations += parse_enum(Direction, fields["direction"], "direction")
    if kind == KeyResultKind.MILESTONE.value and fields.get("due_on") is not None:
        if not _is_iso_date(fields["due_on"]):
            violations.append(("due_on", "must be an ISO date, e.g. 2026-03-31"))
    return violations



def _is_iso_date(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True
