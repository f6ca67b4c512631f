"""Small checks shared by every rule: numbers that arithmetic can use, texts of sane length
and without control characters."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, TypeGuard

MAX_MAGNITUDE = 1e15
TITLE_LENGTH = 200
TEXT_LENGTH = 5000
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""What no stored text may hold: C0 and C1 controls but tab, line feed and carriage return;
DEL; and lone surrogates (no UTF-8 for them). PostgreSQL cannot store a NUL at all."""
CONTROL_RULE = "must not contain control characters; only tab and line breaks are allowed"


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
    return control_faults(name, value)


def control_faults(name: str, value: str) -> list[tuple[str, str]]:
    """Why `value` may not be stored as text, if it holds a control character."""
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return []
    return [(name, f"{CONTROL_RULE} (found U+{ord(found.group()):04X} at {found.start()})")]
