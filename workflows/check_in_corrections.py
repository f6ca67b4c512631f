"""Correcting a mistaken check-in (a value of 450 typed for 45) without losing the original.

The check-in is read back from the objective's events by its id: what it reported, or what
its latest correction made of it, and whether a later check-in of the same KR followed. The
objective records the correction (`Objective.correct_check_in`); the original stays in the
history, the timeline and the check-in series, marked corrected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from domain.check_ins import RecordedCheckIn
from domain.errors import NotFoundError
from domain.objective import Objective
from domain.steps import Step
from workflows.actors import Actor
from workflows.ledger_base import AnyId, CommandResult, LedgerBase
from workflows.timestamps import rfc3339

CHECKED_IN, CORRECTED = "CheckedIn", "CheckInCorrected"


class CheckInCorrections(LedgerBase):
    def correct_check_in(self, actor: Actor, objective_id: AnyId, check_in_id: str, *,
                         reason: str, value: float | None = None, done: bool | None = None,
                         confidence: float | None = None, note: str | None = None,
                         expected_version: int | None = None) -> CommandResult[Objective]:
        """Correct a check-in (its owner or an admin), saying why."""
        def body(objective: Objective, step: Step) -> None:
            recorded = find_check_in(self.events.get(objective.id), str(check_in_id))
            objective.correct_check_in(step, recorded, value=value, done=done,
                                       confidence=confidence, note=note, reason=reason)
        return self.on_objective(objective_id, "correct_check_in", actor, expected_version,
                                 body, why=reason)


def find_check_in(events: Iterable[Any], check_in_id: str) -> RecordedCheckIn:
    """The check-in as it stands now, read from the objective's events, oldest first."""
    found: RecordedCheckIn | None = None
    for event in events:
        kind = type(event).__name__
        if kind not in (CHECKED_IN, CORRECTED):
            continue
        if event.check_in_id == check_in_id:
            found = RecordedCheckIn(
                check_in_id=check_in_id, key_result_id=event.key_result_id,
                recorded_at=found.recorded_at if found else rfc3339(event.timestamp), value=event.value,
                done=event.done, confidence=event.confidence, note=event.note, met=event.met,
                latest=True if found is None else found.latest)
        elif (found is not None and kind == CHECKED_IN
              and event.key_result_id == found.key_result_id):
            found = replace(found, latest=False)
    if found is None:
        raise NotFoundError("check-in", check_in_id)
    return found
