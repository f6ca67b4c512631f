"""Closing an objective: the owner's self-assessment and the reviewer's final score."""

from __future__ import annotations

from typing import Any

from domain.objective import Objective
from domain.steps import Step
from workflows.actors import Actor
from workflows.ledger_base import AnyId, CommandResult, LedgerBase


class ClosingCommands(LedgerBase):
    def start_closing(self, actor: Actor, objective_id: AnyId,
                      expected_version: int | None = None,
                      reason: str = "") -> CommandResult[Objective]:
        return self.on_objective(objective_id, "start_closing", actor, expected_version,
                                 lambda objective, step: objective.start_closing(step, reason),
                                 why=reason)

    def self_assess(self, actor: Actor, objective_id: AnyId, scores: list[dict[str, Any]],
                    expected_version: int | None = None,
                    reason: str = "") -> CommandResult[Objective]:
        return self.on_objective(objective_id, "self_assess", actor, expected_version,
                                 lambda objective, step: objective.self_assess(step, scores,
                                                                               reason),
                                 why=reason)

    def return_assessment(self, actor: Actor, objective_id: AnyId, comment: str,
                          expected_version: int | None = None) -> CommandResult[Objective]:
        return self.on_objective(
            objective_id, "return_assessment", actor, expected_version,
            lambda objective, step: objective.return_assessment(step, comment), why=comment)

    def finalize(self, actor: Actor, objective_id: AnyId,
                 overrides: list[dict[str, Any]] | None = None,
                 expected_version: int | None = None,
                 comment: str = "") -> CommandResult[Objective]:
        def body(objective: Objective, step: Step) -> None:
            objective.finalize(step, overrides, comment)
        return self.on_objective(objective_id, "finalize", actor, expected_version, body,
                                 why=comment)
