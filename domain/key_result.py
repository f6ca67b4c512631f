"""Key results: the quantified measures of an objective, held as entities inside it.

Three kinds cover the method's advice: `metric` (move a number from start to target; a target
below the start means "decrease"), `threshold` (keep a process metric above or below a value,
e.g. "keep average delivery time around 20 days") and `milestone` ("time + output": done by a
due date).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from domain.copying import FastDeepcopy
from domain.scoring import suggested_score
from domain.validation import TITLE_LENGTH, is_number, text_faults
from domain.values import Challenge, Direction, KeyResultKind, parse_enum

MILESTONE, THRESHOLD = KeyResultKind.MILESTONE.value, KeyResultKind.THRESHOLD.value
"""Read on every progress computation: an Enum's `.value` is a descriptor call each time."""


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

    @property
    def progress(self) -> float:
        """Completion as a ratio, never below 0 (a metric may exceed 1)."""
        if self.kind == MILESTONE:
            return 1.0 if self.done else 0.0
        if self.kind == THRESHOLD:
            return self.check_ins_met / self.check_ins if self.check_ins else 0.0
        if self.target is None or self.start is None or self.target == self.start:
            return 0.0
        current = self.start if self.current is None else self.current
        return max(0.0, (current - self.start) / (self.target - self.start))

    def suggested_score(self, policy: str) -> float:
        return suggested_score(self.progress, self.challenge, policy)

    def meets_threshold(self, value: float) -> bool:
        if self.target is None:
            return False
        if self.direction == Direction.BELOW.value:
            return value <= self.target
        return value >= self.target

    @property
    def original_progress(self) -> float | None:
        """Progress measured against the KR as first approved, if an adjustment retargeted it."""
        if not self.original or self.kind != KeyResultKind.METRIC.value:
            return None
        before = KeyResult(id=self.id, title=self.title, kind=self.kind, current=self.current)
        before.start = self.original.get("start", self.start)
        before.target = self.original.get("target", self.target)
        return before.progress

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
