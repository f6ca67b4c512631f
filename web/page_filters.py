"""Jinja filters the objective and audit pages add to the app's templates."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from web.objective_view import shown as shown_value

ACTION_NAMES = {"check_in": "check in", "propose_adjustment": "propose an adjustment",
                "approve_adjustment": "approve the adjustment",
                "reject_adjustment": "reject the adjustment", "self_assess": "self-assess",
                "return_assessment": "return the self-assessment",
                "request_changes": "request changes", "start_closing": "start closing",
                "carry_over": "carry over"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def moment(value: datetime | str | None) -> str:
    """'14 Nov 2026, 09:30 UTC'."""
    if value is None:
        return "\u2014"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}, {value:%H:%M} UTC"


def field_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action.replace("_", " "))


def shown(value: Any) -> str:
    """A diff's or a change's value: a KR or a dict as its fields, anything else as the pages
    show values."""
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {shown_value(v)}" for k, v in value.items()
                          if k not in ("id", "original") and v not in (None, "", [], {}))
        return inner or "\u2014"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return json.dumps(value)
    return shown_value(value)


def change_text(change: dict[str, Any]) -> str:
    """An adjustment's change as a reader wants it: `target 100 → 80`, field by field; a new
    key result as its fields."""
    before, after = change.get("before") or {}, change.get("after") or {}
    if not before:
        return f"new: {shown(after)}"
    if not after:
        return f"was: {shown(before)}"
    return "; ".join(f"{name.replace('_', ' ')} {shown_value(before.get(name))} → "
                     f"{shown_value(value)}" for name, value in after.items())


FILTERS = {"moment": moment, "field_id": field_id, "action_name": action_name,
           "shown": shown, "change_text": change_text}
