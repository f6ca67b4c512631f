"""The objective as the pages show it: plain rows for the templates, built from
`objective_state` (the same dict the API answers with), so page and API never disagree.

A row knows which of its fields a command changed (from the ledger's diff), so the version
slider can mark them; the marking is text too ("changed"), never colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

KR_PREFIX = "key_results."
FIELD_LABELS = (("title", "Title"), ("state", "State"), ("owner", "Owner"),
                ("reviewer", "Reviewer"), ("level", "Level"), ("kind", "Kind"),
                ("progress", "Progress"), ("score", "Score"), ("description", "Description"))
"""The objective's fields the version view lists, in order, with their labels."""


@dataclass(frozen=True)
class Changed:
    """What one command (or the span between two versions) changed: the objective's own
    fields, and per key result its fields, or that it was added."""

    fields: frozenset[str] = frozenset()
    key_results: Mapping[str, frozenset[str]] = field(default_factory=dict)
    added: frozenset[str] = frozenset()

    @classmethod
    def of(cls, diff: Iterable[Mapping[str, Any]]) -> Changed:
        """From the ledger's diff (`old`, `new`) or a timeline entry's changes (`before`,
        `after`): field names are alike, `key_results.<id>.<field>`."""
        own: set[str] = set()
        krs: dict[str, set[str]] = {}
        added: set[str] = set()
        for change in diff:
            name = str(change["field"])
            if not name.startswith(KR_PREFIX):
                own.add(name)
                continue
            kr_id, _, kr_field = name[len(KR_PREFIX):].partition(".")
            if kr_field:
                krs.setdefault(kr_id, set()).add(kr_field)
            elif change.get("old", change.get("before")) is None:
                added.add(kr_id)
        return cls(frozenset(own), {k: frozenset(v) for k, v in krs.items()}, frozenset(added))

    @classmethod
    def everything(cls, state: Mapping[str, Any]) -> Changed:
        """A first version: all of it is new."""
        return cls(frozenset(name for name, _ in FIELD_LABELS),
                   added=frozenset(kr["id"] for kr in state["key_results"]))

    def __contains__(self, name: object) -> bool:
        return name in self.fields


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str
    changed: bool


@dataclass(frozen=True)
class KeyResultRow:
    """A KR with what a reader compares: progress, the original target beside the adjusted
    one, the three scores."""

    id: str
    title: str
    kind: str
    unit: str
    progress: float
    original_progress: float | None
    start: str
    original_target: str
    adjusted_target: str | None
    current: str
    confidence: str
    check_ins: int
    challenge: str
    weight: float
    suggested_score: str
    self_score: str
    final_score: str
    override_reason: str
    removed: bool
    changed: frozenset[str] = frozenset()
    added: bool = False

    @property
    def percent(self) -> int:
        """Progress as a bar shows it: capped at 100."""
        return round(min(self.progress, 1.0) * 100)

    def is_changed(self, *names: str) -> bool:
        return self.added or bool(self.changed.intersection(names))


def field_rows(state: Mapping[str, Any], changed: Changed) -> list[FieldRow]:
    return [FieldRow(name, label, shown(state.get(name), name), name in changed)
            for name, label in FIELD_LABELS]


def key_result_rows(state: Mapping[str, Any], changed: Changed | None = None) -> list[KeyResultRow]:
    changed = changed or Changed()
    return [key_result_row(kr, changed.key_results.get(kr["id"], frozenset()),
                           kr["id"] in changed.added) for kr in state["key_results"]]


def key_result_row(kr: Mapping[str, Any], changed: frozenset[str] = frozenset(),
                   added: bool = False) -> KeyResultRow:
    original = kr["original"].get("target", kr["target"])
    moved = "target" in kr["original"] and kr["original"]["target"] != kr["target"]
    return KeyResultRow(
        id=kr["id"], title=kr["title"], kind=kr["kind"], unit=kr["unit"] or "",
        progress=kr["progress"], original_progress=kr["original_progress"],
        start=shown(kr["original"].get("start", kr["start"])), original_target=_target(kr, original),
        adjusted_target=_target(kr, kr["target"]) if moved else None,
        current=_current(kr), confidence=shown(kr["confidence"]), check_ins=kr["check_ins"],
        challenge=kr["challenge"], weight=kr["weight"],
        suggested_score=shown(kr["suggested_score"]), self_score=shown(kr["self_score"]),
        final_score=shown(kr["final_score"]), override_reason=kr["override_reason"],
        removed=kr["removed"], changed=changed, added=added)


def _target(kr: Mapping[str, Any], target: object) -> str:
    if kr["kind"] == "milestone":
        return f"done by {kr['due_on']}" if kr["due_on"] else "done"
    sense = {"above": "\u2265 ", "below": "\u2264 "}.get(kr["direction"] or "", "")
    return f"{sense if kr['kind'] == 'threshold' else ''}{shown(target)}{_unit(kr)}"


def _current(kr: Mapping[str, Any]) -> str:
    if kr["kind"] == "milestone":
        return "done" if kr["done"] else "not done"
    if kr["kind"] == "threshold":
        return f"{kr['check_ins']} check-in{'' if kr['check_ins'] == 1 else 's'}"
    return f"{shown(kr['current'])}{_unit(kr)}"


def _unit(kr: Mapping[str, Any]) -> str:
    return f" {kr['unit']}" if kr["unit"] else ""


def shown(value: object, name: str = "") -> str:
    """A value as a page shows it: '—' for none, numbers without needless decimals, progress
    as a percentage."""
    if value is None or value == "":
        return "\u2014"
    if name == "progress" and isinstance(value, int | float):
        return f"{round(float(value) * 100)}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(round(value, 4), "f").rstrip("0").rstrip(".") or "0"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "\u2014"
    return str(value)
