"""An objective's history read as commands, the steps of the version slider and the entries of
the timeline.

Read from the ledger's timeline (`OKRLedger.timeline`: one entry per command, with its
summary, role and changed fields) where the ledger has one; otherwise from its history, where
the events one command recorded (a draft and its first key results, say) share one recorded
time and one actor, so consecutive events with both equal are one step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from web.command_words import ACTIONS
from workflows.roles import acted_as

WHY = ("reason", "comment", "note")


@dataclass(frozen=True)
class CommandStep:
    """One command's place in the objective's history: the versions it recorded, when, by
    whom, what it did and why."""

    index: int
    first_version: int
    version: int
    time: datetime
    actor: str
    action: str
    why: str
    key_result_id: str | None
    event_types: tuple[str, ...]
    summary: str = ""
    role: str = ""
    changes: tuple[Mapping[str, Any], ...] | None = None
    """Each field the command changed (None: not known, ask the ledger's diff)."""


def timeline_steps(entries: Sequence[Mapping[str, Any]]) -> list[CommandStep]:
    """The ledger's timeline entries (oldest first) as steps."""
    return [CommandStep(index=index, first_version=entry["from_version"],
                        version=entry["version"], time=_moment(entry["time"]),
                        actor=entry["actor"] or "", action=_words(entry["action"]),
                        why=entry.get("reason") or "", key_result_id=None,
                        event_types=tuple(entry.get("events") or ()),
                        summary=entry.get("summary") or "", role=entry.get("role") or "",
                        changes=tuple(entry.get("changes") or ()))
            for index, entry in enumerate(entries, start=1)]


def _words(action: str) -> str:
    camel = "".join(part.capitalize() for part in action.split("_"))
    return ACTIONS.get(camel, action.replace("_", " "))


def command_steps(history: Sequence[Mapping[str, Any]], owner: str = "", reviewer: str = "",
                  titles: Mapping[str, str] | None = None) -> list[CommandStep]:
    """`history` (the ledger's, oldest first) grouped into commands; the role each actor acted
    in is read as the objective's `owner` and `reviewer` now name them, a key result by its
    title in `titles`."""
    groups: list[list[Mapping[str, Any]]] = []
    for entry in history:
        last = groups[-1][-1] if groups else None
        if last is not None and (last["time"], last["actor"]) == (entry["time"], entry["actor"]):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return [_step(index, group, owner, reviewer, titles or {})
            for index, group in enumerate(groups, start=1)]


def _step(index: int, events: list[Mapping[str, Any]], owner: str, reviewer: str,
          titles: Mapping[str, str]) -> CommandStep:
    first = events[0]
    data = first["data"]
    why = next((str(data[name]) for name in WHY if data.get(name)), "")
    return CommandStep(index=index, first_version=first["version"],
                       version=events[-1]["version"], time=_moment(first["time"]),
                       actor=first["actor"] or "", action=ACTIONS.get(first["type"], first["type"]),
                       why=why, key_result_id=data.get("key_result_id"),
                       event_types=tuple(event["type"] for event in events),
                       role=acted_as(first["actor"] or "", {}, owner, reviewer),
                       summary=_summary(first["type"], data, titles))


def _summary(kind: str, data: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """What the command did, naming the key result it touched and what a check-in said."""
    action = ACTIONS.get(kind, kind)
    title = titles.get(data.get("key_result_id") or "")
    if kind != "CheckedIn" or title is None:
        return f"{action} \u201c{title}\u201d" if title else action
    said = "done" if data.get("done") else "not done" if data.get("value") is None \
        else _number(data["value"])
    sure = data.get("confidence")
    return (f"checked in \u201c{title}\u201d: {said}"
            + ("" if sure is None else f", confidence {_number(sure)}"))


def _number(value: object) -> str:
    if isinstance(value, float):
        return format(round(value, 4), "f").rstrip("0").rstrip(".") or "0"
    return str(value)


def _moment(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def step_of_version(steps: Sequence[CommandStep], version: int) -> CommandStep:
    """The command that recorded `version` (the last one for a version beyond them)."""
    return next((step for step in steps if step.first_version <= version <= step.version),
                steps[-1])
