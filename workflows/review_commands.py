"""Review, check-ins, adjustments and cancelling: an objective's life once drafted."""

from __future__ import annotations

from typing import Any

from domain.objective import Objective
from domain.steps import Step
from domain.values import ObjectiveState
from workflows.actors import Actor
from workflows.ledger_base import AnyId, Changed, CommandResult, Created, LedgerBase, made


class ReviewCommands(LedgerBase):
    def submit(self, actor: Actor, objective_id: AnyId, expected_version: int | None = None,
               reason: str = "") -> CommandResult[Objective]:
        def body(objective: Objective, step: Step) -> None:
            objective.submit(step, self.rules, self._owner_objective_count(objective), reason)
        return self.on_objective(objective_id, "submit", actor, expected_version, body,
                                 why=reason)

    def approve(self, actor: Actor, objective_id: AnyId, comment: str = "",
                expected_version: int | None = None) -> CommandResult[Objective]:
        return self.on_objective(objective_id, "approve", actor, expected_version,
                                 lambda objective, step: objective.approve(step, comment),
                                 why=comment)

    def request_changes(self, actor: Actor, objective_id: AnyId, comment: str,
                        expected_version: int | None = None) -> CommandResult[Objective]:
        return self.on_objective(objective_id, "request_changes", actor, expected_version,
                                 lambda objective, step: objective.request_changes(step, comment),
                                 why=comment)

    def check_in(self, actor: Actor, objective_id: AnyId, key_result_id: str, *,
                 value: float | None = None, done: bool | None = None, confidence: float,
                 note: str = "", expected_version: int | None = None
                 ) -> CommandResult[Objective]:
        def body(objective: Objective, step: Step) -> None:
            objective.check_in(step, key_result_id, value=value, done=done,
                               confidence=confidence, note=note)
        return self.on_objective(objective_id, "check_in", actor, expected_version, body,
                                 why=note)

    def propose_adjustment(self, actor: Actor, objective_id: AnyId, reason: str,
                           changes: list[dict[str, Any]],
                           expected_version: int | None = None) -> Created[Objective]:
        def body(objective: Objective, step: Step) -> Changed:
            return Changed(created_id=objective.propose_adjustment(
                step, reason, changes, self.rules, self.find_objective))
        return made(self.on_objective(objective_id, "propose_adjustment", actor,
                                      expected_version, body, why=reason))

    def approve_adjustment(self, actor: Actor, objective_id: AnyId, adjustment_id: str,
                           comment: str = "", expected_version: int | None = None
                           ) -> CommandResult[Objective]:
        def body(objective: Objective, step: Step) -> None:
            objective.approve_adjustment(step, adjustment_id, self.find_objective, comment)
        return self.on_objective(objective_id, "approve_adjustment", actor, expected_version,
                                 body, why=comment)

    def reject_adjustment(self, actor: Actor, objective_id: AnyId, adjustment_id: str,
                          comment: str = "", expected_version: int | None = None
                          ) -> CommandResult[Objective]:
        return self.on_objective(
            objective_id, "reject_adjustment", actor, expected_version,
            lambda objective, step: objective.reject_adjustment(step, adjustment_id, comment),
            why=comment)

    def cancel(self, actor: Actor, objective_id: AnyId, reason: str,
               expected_version: int | None = None) -> CommandResult[Objective]:
        return self.on_objective(objective_id, "cancel", actor, expected_version,
                                 lambda objective, step: objective.cancel(step, reason),
                                 why=reason)

    def _owner_objective_count(self, objective: Objective) -> int:
        """Objectives this owner would have committed to in the cycle, this one included.

        Drafts are work in progress and cancelled objectives no longer count, so only
        objectives submitted or further along are counted against the limit.
        """
        index = self._owner_index(objective.cycle_id, objective.owner)
        others = [self.find_objective(i) for i in index.objective_ids if i != str(objective.id)]
        uncounted = (ObjectiveState.DRAFT.value, ObjectiveState.CANCELLED.value)
        live = [o for o in others if o and o.state not in uncounted]
        return len(live) + 1
