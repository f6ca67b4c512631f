"""Validation of an objective's own fields (not its key results, not its alignment)."""

from __future__ import annotations

from typing import Any

from domain.values import Level, ObjectiveKind, parse_enum

EDITABLE = ("title", "description", "reviewer", "level", "kind", "parent_id", "supports")


def validate_objective_fields(fields: dict[str, Any], *, creating: bool) -> list[tuple[str, str]]:
    """Every fault in `fields`; when creating, the required ones must be present."""
    violations: list[tuple[str, str]] = []
    required = ("title", "owner", "reviewer", "level") if creating else ()
    for name in required:
        if not _text(fields.get(name)):
            violations.append((name, "is required"))
    for name in ("title", "owner", "reviewer"):
        if name in fields and name not in required and not _text(fields[name]):
            violations.append((name, "must not be empty"))
    if fields.get("level") is not None:
        violations += parse_enum(Level, fields["level"], "level")
    if fields.get("kind") is not None:
        violations += parse_enum(ObjectiveKind, fields["kind"], "kind")
    supports = fields.get("supports")
    if supports is not None and not (
        isinstance(supports, list) and all(isinstance(item, str) for item in supports)
    ):
        violations.append(("supports", "must be a list of objective ids"))
    if fields.get("level") == Level.COMPANY.value and fields.get("parent_id"):
        violations.append(("parent_id", "a company objective has no parent"))
    return violations


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
