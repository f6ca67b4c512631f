"""Field changes in words a person reads: "target of 'Cut lead time' raised from 10 to 12".

The timeline (`workflows.timeline`) and the web pages describe changes with these; each phrase
starts in lower case, to follow a colon, and `sentence` capitalises the first word.
"""

from __future__ import annotations

from typing import Any

OBJECTIVE_LABELS = {
    "title": "title", "description": "description", "owner": "owner", "reviewer": "reviewer",
    "level": "level", "kind": "kind", "parent_id": "parent objective",
    "supports": "supported objectives", "score": "score",
}
KEY_RESULT_LABELS = {
    "title": "title", "description": "description", "start": "start", "target": "target",
    "unit": "unit", "direction": "direction", "due_on": "due date", "challenge": "challenge",
    "weight": "weight", "current": "current value", "done": "done", "confidence": "confidence",
    "self_score": "self-assessed score", "self_note": "self-assessment note",
    "final_score": "final score", "override_reason": "override reason",
}


def shown(value: Any) -> str:
    """A value as a sentence shows it: numbers plainly, text quoted, nothing as 'none'."""
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    return f"'{value}'"


def moved(label: str, before: Any, after: Any) -> str:
    """`label raised from 10 to 12`, `lowered`, `set to`, `cleared` or `changed`."""
    if before is None:
        return f"{label} set to {shown(after)}"
    if after is None:
        return f"{label} cleared (was {shown(before)})"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    verb = ("raised" if after > before else "lowered") if numbers else "changed"
    return f"{label} {verb} from {shown(before)} to {shown(after)}"


def objective_phrase(name: str, before: Any, after: Any) -> str:
    return moved(OBJECTIVE_LABELS.get(name, name.replace("_", " ")), before, after)


def key_result_phrase(name: str, title: str | None, before: Any, after: Any) -> str:
    """`target of 'Cut lead time' raised from 10 to 12`."""
    if name == "removed" and after:
        return f"key result {shown(title)} removed"
    label = KEY_RESULT_LABELS.get(name, name.replace("_", " "))
    return moved(f"{label} of {shown(title)}", before, after)


def adjustment_phrases(change: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """An adjustment's change (`{op, key_result_id?, before, after}`) in words."""
    op, after, before = change["op"], change.get("after") or {}, change.get("before") or {}
    title = titles.get(change.get("key_result_id") or "") or after.get("title")
    if op == "add_key_result":
        return [f"key result {shown(after.get('title'))} added"]
    if op == "remove_key_result":
        return [f"key result {shown(title)} removed"]
    if "key_result_id" in change:
        return [key_result_phrase(name, title, before.get(name), value)
                for name, value in after.items()]
    return [objective_phrase(name, before.get(name), value) for name, value in after.items()]


def sentence(head: str, phrases: list[str] | None = None) -> str:
    """`Head: phrase; phrase` (or the phrases alone when there is no head), capitalised."""
    text = "; ".join(phrases or [])
    if head and text:
        text = f"{head}: {text}"
    elif head:
        text = head
    return text[:1].upper() + text[1:]
