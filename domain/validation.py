"""Small checks shared by every rule: numbers that arithmetic can use, texts of sane length."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

MAX_MAGNITUDE = 1e15
TITLE_LENGTH = 200
TEXT_LENGTH = 5000


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite int or float (not a bool) small enough for progress arithmetic."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value)) and abs(value) <= MAX_MAGNITUDE
    except OverflowError:
        return False


def text_faults(fields: Mapping[str, Any], name: str, *, required: bool,
                max_length: int = TEXT_LENGTH) -> list[tuple[str, str]]:
    """Faults of text field `name`: missing or blank when required, not text, too long."""
    if name not in fields or fields[name] is None:
        return [(name, "is required")] if required else []
    value = fields[name]
    if not isinstance(value, str):
        return [(name, "must be text")]
    if required and not value.strip():
        return [(name, "must not be empty")]
    if len(value) > max_length:
        return [(name, f"must be at most {max_length} characters")]
    return []
