"""An objective's timeline: one entry per command, oldest first, in words a person reads.

Each entry says what happened ("Target of 'Cut lead time' raised from 10 to 12"), who did it
and in which role, when, at which log position and in which command, why (the reason, comment
or note given), and every field the command changed with its value before and after. An
adjustment's proposal and its decision are joined: the proposal says how it was decided, and
the decision carries the proposal (who proposed it, when, why, and the changes it applied).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from domain.objective import Objective
from workflows.change_words import (
    adjustment_phrases,
    key_result_phrase,
    objective_phrase,
    sentence,
    shown,
)
from workflows.objective_state import objective_state
from workflows.recorded_commands import RecordedCommand
from workflows.timestamps import rfc3339

HIDDEN_FIELDS = frozenset({"id", "cycle_id", "version", "modified_at", "created_at", "original",
                           "pending_adjustment_id", "scoring_policy", "key_results"})
"""What the objective's state shows but no command sets by itself."""
HIDDEN_KR_FIELDS = frozenset({"id", "kind", "check_ins", "suggested_score", "original",
                              "original_progress", "retargeted"})
"""A KR's counters and derived values: they follow from the changes listed."""
ADJUSTMENT_EVENTS = ("AdjustmentProposed", "AdjustmentApproved", "AdjustmentRejected")


def timeline(commands: list[RecordedCommand]) -> list[dict[str, Any]]:
    """The entries of an objective's commands (`workflows.recorded_commands`), oldest first."""
    entries = [_entry(command) for command in commands]
    _join_adjustments(commands, entries)
    return entries


def field_changes(before: Objective | None, after: Objective) -> list[dict[str, Any]]:
    """Each field a command changed, with its value before and after: the objective's own
    fields first, then each key result's (a new key result is one change, `before` null)."""
    old = objective_state(before) if before is not None else {"key_results": []}
    new = objective_state(after)
    changes = [{"field": name, "key_result_id": None, "key_result_title": None,
                "before": old.get(name), "after": value}
               for name, value in new.items()
               if name not in HIDDEN_FIELDS and old.get(name) != value]
    old_krs = {kr["id"]: kr for kr in old["key_results"]}
    for kr in new["key_results"]:
        previous = old_krs.get(kr["id"])
        if previous is None:
            changes.append({"field": f"key_results.{kr['id']}", "key_result_id": kr["id"],
                            "key_result_title": kr["title"], "before": None,
                            "after": _visible(kr)})
            continue
        changes += [{"field": f"key_results.{kr['id']}.{name}", "key_result_id": kr["id"],
                     "key_result_title": kr["title"], "before": previous.get(name),
                     "after": value}
                    for name, value in kr.items()
                    if name not in HIDDEN_KR_FIELDS and previous.get(name) != value]
    return changes


def _visible(kr: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in kr.items() if name not in HIDDEN_KR_FIELDS - {"id"}}


def _entry(command: RecordedCommand) -> dict[str, Any]:
    first = command.events[0]
    kind = type(first).__name__
    changes = field_changes(command.before, command.after)
    describe = SENTENCES.get(kind, _described_by_changes)
    return {
        "action": _snake(kind), "summary": describe(command, changes),
        "actor": command.actor, "role": command.role, "time": rfc3339(command.time),
        "position": command.position, "version": command.version,
        "from_version": command.first_version, "command_id": command.command_id,
        "reason": _why(command), "events": command.event_types, "changes": changes,
    }


def _why(command: RecordedCommand) -> str:
    for event in command.events:
        for name in ("reason", "comment", "note"):
            text = getattr(event, name, None)
            if isinstance(text, str) and text:
                return text
    return ""


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _titles(objective: Objective | None) -> dict[str, str]:
    return {} if objective is None else {kr.id: kr.title for kr in objective.key_results.values()}


def _phrases(changes: list[dict[str, Any]]) -> list[str]:
    """Changes in words, leaving out what follows from them (progress, state)."""
    phrases = []
    for change in changes:
        name = change["field"].rsplit(".", 1)[-1]
        if change["key_result_id"] is None:
            if name not in ("state", "progress", "carried_over_to", "carried_over_from"):
                phrases.append(objective_phrase(name, change["before"], change["after"]))
        elif change["before"] is None and change["field"].count(".") == 1:
            phrases.append(f"key result {shown(change['key_result_title'])} added")
        elif name != "progress":
            phrases.append(key_result_phrase(name, change["key_result_title"],
                                             change["before"], change["after"]))
    return phrases


def _described_by_changes(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    return sentence("", _phrases(changes)) or sentence(_snake(command.event_types[0])
                                                       .replace("_", " "))


def _drafted(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    after = command.after
    titles = [shown(kr.title) for kr in after.key_results.values()]
    what = "Carried over as a draft" if after.carried_over_from else "Drafted"
    head = f"{what} {shown(after.title)} for {after.owner}, reviewed by {after.reviewer}"
    return head + (f", with key results {', '.join(titles)}" if titles else "")


def _checked_in(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    event: Any = command.events[0]
    kr = command.after.key_results[event.key_result_id]
    if event.value is not None:
        reported = f"{shown(event.value)}{' ' + kr.unit if kr.unit else ''}"
    else:
        reported = "done" if event.done else "not done"
    return f"Checked in {shown(kr.title)}: {reported}, confidence {shown(event.confidence)}"


def _corrected(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    event: Any = command.events[0]
    kr = command.after.key_results[event.key_result_id]
    field = "value" if event.value is not None else "done"
    when = event.checked_in_at
    return sentence(f"Check-in on {shown(kr.title)} of {when} corrected",
                    [f"{field} from {shown(event.was.get(field))} to "
                     f"{shown(getattr(event, field))}"])


def _adjustment(head: str) -> Callable[[RecordedCommand, list[dict[str, Any]]], str]:
    def described(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
        event: Any = command.events[0]
        adjustment = command.after.adjustments[event.adjustment_id]
        titles = {**_titles(command.before), **_titles(command.after)}
        return sentence(head, [phrase for change in adjustment.changes
                               for phrase in adjustment_phrases(change, titles)])
    return described


def _self_assessed(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    event: Any = command.events[0]
    titles = _titles(command.after)
    return sentence("Self-assessed", [f"{shown(titles.get(entry['key_result_id']))} "
                                      f"{shown(entry['score'])}" for entry in event.scores])


def _finalized(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    event: Any = command.events[0]
    titles = _titles(command.after)
    before = command.before
    overridden = [f"{shown(titles.get(entry['key_result_id']))} overridden from "
                  f"{shown(_self_score(before, entry['key_result_id']))} to "
                  f"{shown(entry['score'])}" for entry in event.scores if entry["overridden"]]
    return sentence(f"Finalized with score {shown(event.score)}", overridden)


def _self_score(objective: Objective | None, key_result_id: str) -> float | None:
    kr = None if objective is None else objective.key_results.get(key_result_id)
    return None if kr is None else kr.self_score


def _cancelled(command: RecordedCommand, changes: list[dict[str, Any]]) -> str:
    withdrawn = command.before is not None and command.before.pending_adjustment_id
    return "Cancelled" + ("; the pending adjustment is withdrawn" if withdrawn else "")


def _fixed(text: str) -> Callable[[RecordedCommand, list[dict[str, Any]]], str]:
    return lambda command, changes: text


SENTENCES: dict[str, Callable[[RecordedCommand, list[dict[str, Any]]], str]] = {
    "Drafted": _drafted,
    "Edited": _described_by_changes,
    "Submitted": lambda command, changes: f"Submitted for review by {command.after.reviewer}",
    "Approved": _fixed("Approved"),
    "ChangesRequested": _fixed("Changes requested"),
    "CheckedIn": _checked_in,
    "CheckInCorrected": _corrected,
    "AdjustmentProposed": _adjustment("Adjustment proposed"),
    "AdjustmentApproved": _adjustment("Adjustment approved"),
    "AdjustmentRejected": _adjustment("Adjustment rejected"),
    "ClosingStarted": _fixed("Closing started"),
    "SelfAssessed": _self_assessed,
    "AssessmentReturned": _fixed("Assessment returned for another self-assessment"),
    "Finalized": _finalized,
    "Cancelled": _cancelled,
    "CarriedOver": _fixed("Carried over to a new draft in a later cycle"),
    "Reassigned": _described_by_changes,  # "Owner changed from 'bob' to 'sam'"
}
"""How each command reads, by its first event; any other is told by the changes it made."""


def _join_adjustments(commands: list[RecordedCommand], entries: list[dict[str, Any]]) -> None:
    """The proposal learns its decision; the decision carries its proposal."""
    proposals: dict[str, dict[str, Any]] = {}
    for command, entry in zip(commands, entries, strict=True):
        event: Any = command.events[0]
        kind = type(event).__name__
        if kind == "Cancelled" and command.before is not None:
            pending = command.before.pending_adjustment_id
            if pending in proposals:
                _decide(proposals[pending], entry, "withdrawn")
            continue
        if kind not in ADJUSTMENT_EVENTS:
            continue
        adjustment = command.after.adjustments[event.adjustment_id]
        if kind == "AdjustmentProposed":
            proposals[adjustment.id] = entry
            entry["adjustment"] = {"adjustment_id": adjustment.id, "status": "pending",
                                   "changes": adjustment.changes, "decision": None}
            continue
        proposal = proposals.get(adjustment.id)
        entry["adjustment"] = {
            "adjustment_id": adjustment.id, "status": adjustment.status,
            "changes": adjustment.changes, "proposed_by": adjustment.proposed_by,
            "proposal_reason": adjustment.reason,
            "proposed_at": proposal["time"] if proposal else None,
            "proposal_position": proposal["position"] if proposal else None}
        if proposal is not None:
            _decide(proposal, entry, adjustment.status)


def _decide(proposal: dict[str, Any], decision: dict[str, Any], status: str) -> None:
    proposal["adjustment"]["status"] = status
    proposal["adjustment"]["decision"] = {
        "status": status, "actor": decision["actor"], "role": decision["role"],
        "time": decision["time"], "position": decision["position"],
        "reason": decision["reason"]}
