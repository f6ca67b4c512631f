"""Review, check-ins, adjustments and cancelling: an objective's life once drafted."""

from __future__ import annotations

from typing import Any

from domain.errors import ValidationError
from domain.indexes import OwnerCycleIndex
from domain.objective import Objective
from domain.values import ObjectiveState
from workflows.actors import Actor
from workflows.drafting_commands import DraftingCommands
from workflows.ledger_base import Changed, CommandResult


class ReviewCommands(DraftingCommands):
    def submit(self, actor: Actor, objective_id: Any,
               expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> None:
            objective.submit(step, self.rules, self._owner_objective_count(objective))
        return self.on_objective(objective_id, "submit", actor, expected_version, body)

    def approve(self, actor: Actor, objective_id: Any, comment: str = "",
                expected_version: int | None = None) -> CommandResult:
        return self.on_objective(objective_id, "approve", actor, expected_version,
                                 lambda objective, step: objective.approve(step, comment))

    def request_changes(self, actor: Actor, objective_id: Any, comment: str,
                        expected_version: int | None = None) -> CommandResult:
        return self.on_objective(objective_id, "request_changes", actor, expected_version,
                                 lambda objective, step: objective.request_changes(step, comment))

    def check_in(self, actor: Actor, objective_id: Any, key_result_id: str, *,
                 value: Any = None, done: Any = None, confidence: Any, note: str = "",
                 expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> None:
            objective.check_in(step, key_result_id, value=value, done=done,
                               confidence=confidence, note=note)
        return self.on_objective(objective_id, "check_in", actor, expected_version, body)

    def propose_adjustment(self, actor: Actor, objective_id: Any, reason: str,
                           changes: list[dict[str, Any]],
                           expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> Changed:
            self._check_realign(objective, changes)
            return Changed(created_id=objective.propose_adjustment(step, reason, changes,
                                                                   self.rules))
        return self.on_objective(objective_id, "propose_adjustment", actor, expected_version,
                                 body)

    def approve_adjustment(self, actor: Actor, objective_id: Any, adjustment_id: str,
                           comment: str = "", expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> None:
            pending = objective.adjustments.get(str(adjustment_id))
            if pending is not None:
                self._check_realign(objective, [c["after"] | {"op": c["op"]}
                                                for c in pending.changes])
            objective.approve_adjustment(step, adjustment_id, comment)
        return self.on_objective(objective_id, "approve_adjustment", actor, expected_version,
                                 body)

    def reject_adjustment(self, actor: Actor, objective_id: Any, adjustment_id: str,
                          comment: str = "", expected_version: int | None = None) -> CommandResult:
        return self.on_objective(
            objective_id, "reject_adjustment", actor, expected_version,
            lambda objective, step: objective.reject_adjustment(step, adjustment_id, comment))

    def cancel(self, actor: Actor, objective_id: Any, reason: str,
               expected_version: int | None = None) -> CommandResult:
        return self.on_objective(objective_id, "cancel", actor, expected_version,
                                 lambda objective, step: objective.cancel(step, reason))

    def _owner_objective_count(self, objective: Objective) -> int:
        """Objectives this owner would have committed to in the cycle, this one included.

        Drafts are work in progress and cancelled objectives no longer count, so only
        objectives submitted or further along are counted against the limit.
        """
        index: OwnerCycleIndex = self._owner_index(objective.cycle_id, objective.owner)
        others = [self.find_objective(i) for i in index.objective_ids if i != str(objective.id)]
        uncounted = (ObjectiveState.DRAFT.value, ObjectiveState.CANCELLED.value)
        live = [o for o in others if o and o.state not in uncounted]
        return len(live) + 1

    def _check_realign(self, objective: Objective, changes: list[dict[str, Any]]) -> None:
        """Alignment rules for every `realign` change, against the objectives as they are now."""
        faults: list[tuple[str, str]] = []
        for index, change in enumerate(changes):
            if not isinstance(change, dict) or change.get("op") != "realign":
                continue
            fields = {**objective.public_fields(),
                      **{k: change[k] for k in ("parent_id", "supports") if k in change}}
            faults += [(f"changes[{index}].{f}", m)
                       for f, m in self._alignment_faults(str(objective.id), objective.cycle_id,
                                                          fields)]
        if faults:
            raise ValidationError(faults)
