"""Validation of an objective's own fields (not its key results, not its alignment)."""

from __future__ import annotations

from typing import Any

from domain.validation import TITLE_LENGTH, text_faults
from domain.values import Level, ObjectiveKind, parse_enum


def validate_objective_fields(fields: dict[str, Any], *, creating: bool) -> list[tuple[str, str]]:
    """Every fault in `fields`; when creating, the required ones must be present."""
    violations: list[tuple[str, str]] = []
    for name in ("title", "owner", "reviewer"):
        violations += text_faults(fields, name, required=creating or name in fields,
                                  max_length=TITLE_LENGTH)
    violations += text_faults(fields, "description", required=False)
    if creating and fields.get("level") is None:
        violations.append(("level", "is required"))
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

