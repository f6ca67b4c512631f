"""Validation of an objective's own fields (not its key results, not its alignment targets)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.validation import TITLE_LENGTH, text_faults
from domain.values import Level, ObjectiveKind, parse_enum


def validate_objective_fields(fields: Mapping[str, Any], *,
                              creating: bool) -> list[tuple[str, str]]:
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
    return violations + _people_and_place_faults(fields)


def _people_and_place_faults(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The reviewer is someone else; supports is a list of ids; a company objective is a root."""
    violations: list[tuple[str, str]] = []
    if fields.get("owner") is not None and fields.get("owner") == fields.get("reviewer"):
        violations.append(("reviewer", "must be someone other than the owner"))
    supports = fields.get("supports")
    if supports is not None and not (
        isinstance(supports, list) and all(isinstance(item, str) for item in supports)
    ):
        violations.append(("supports", "must be a list of objective ids"))
    if fields.get("level") == Level.COMPANY.value and fields.get("parent_id"):
        violations.append(("parent_id", "a company objective has no parent"))
    return violations
