"""Drafting an objective: create it, edit it and its key results, carry one over.

Each command is get -> authorise -> call the aggregate -> save; the rules live in the domain
(`Objective.draft`, `Objective.carry_into`, `Objective.edit`, ...).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from domain.errors import PermissionDeniedError, ValidationError
from domain.indexes import OwnerCycleIndex
from domain.objective import Objective
from domain.separation import PEOPLE_FIELDS
from domain.steps import Step
from domain.values import ObjectiveKind, ObjectiveState
from workflows.actors import Actor
from workflows.ledger_base import (
    AnyId,
    Changed,
    CommandResult,
    Created,
    LedgerBase,
    acting_as,
    made,
    refused_with,
    require_writer,
)
from workflows.objective_workflow import ADMIN, DRAFT, OWNER
from workflows.reasons import require_policy_reason


class DraftingCommands(LedgerBase):
    def draft_objective(self, actor: Actor, *, cycle_id: AnyId, title: str, level: str,
                        reviewer: str | None = None, owner: str | None = None,
                        description: str = "",
                        kind: str = ObjectiveKind.BUSINESS.value, parent_id: str | None = None,
                        supports: list[str] | None = None,
                        key_results: list[dict[str, Any]] | None = None, reason: str = ""
                        ) -> Created[Objective]:
        """Create a draft; members draft their own objectives, admins anyone's. The reviewer
        defaults to the owner's manager in the people directory."""
        require_writer(actor)
        owner = owner or actor.name
        if owner != actor.name and not actor.is_admin:
            raise PermissionDeniedError(f"{actor.name} may only draft objectives they own")
        require_policy_reason(self.rules, DRAFT, reason)

        def attempt() -> Created[Objective]:
            acting_as(OWNER if owner == actor.name else ADMIN)
            chosen = reviewer or self._managers_review(owner)
            new_draft = partial(
                Objective.draft, self.cycle(cycle_id), actor=actor.name, owner=owner,
                reviewer=chosen, title=title, level=level, description=description, kind=kind,
                parent_id=parent_id, supports=supports, key_results=key_results,
                lookup=self.find_objective, reason=reason)
            people = {"owner": owner, "reviewer": chosen}
            objective = refused_with(self.people_faults(people), new_draft)
            index = self._owner_index(objective.cycle_id, objective.owner)
            index.add(str(objective.id))
            position = self.save_all(objective, index, created_id=str(objective.id))
            return Created(objective, position, str(objective.id))
        return self.retrying(attempt, cycle_id, None)

    def edit_objective(self, actor: Actor, objective_id: AnyId, fields: dict[str, Any],
                       expected_version: int | None = None,
                       reason: str = "") -> CommandResult[Objective]:
        def body(objective: Objective, step: Step) -> Changed:
            old_owner = objective.owner
            require_admin_to_change_people(actor, objective, fields)
            refused_with(self.people_faults(fields),
                         lambda: objective.edit(step, fields, self.find_objective, reason))
            return Changed(also_save=self._move_owner(objective, old_owner))
        return self.on_objective(objective_id, "edit", actor, expected_version, body, why=reason)

    def hand_over_review(self, actor: Actor, objective_id: AnyId, reviewer: str, reason: str,
                         expected_version: int | None = None) -> CommandResult[Objective]:
        """The reviewer (or an admin) gives the review to another person, saying why."""
        def body(objective: Objective, step: Step) -> None:
            people = {"reviewer": reviewer}
            refused_with(self.people_faults(people),
                         lambda: objective.hand_over_review(step, reviewer, reason))
        return self.on_objective(objective_id, "hand_over_review", actor, expected_version,
                                 body, why=reason)

    def reassign_owner(self, actor: Actor, objective_id: AnyId, owner: str, reason: str,
                       expected_version: int | None = None) -> CommandResult[Objective]:
        """An admin gives an open objective to another known, active person, saying why (its
        owner left, or changed team); the owner index moves in the same transaction."""
        def body(objective: Objective, step: Step) -> Changed:
            old_owner = objective.owner
            refused_with(self.people_faults({"owner": owner}),
                         lambda: objective.reassign_owner(step, owner, reason))
            return Changed(also_save=self._move_owner(objective, old_owner))
        return self.on_objective(objective_id, "reassign_owner", actor, expected_version, body,
                                 why=reason)

    def add_key_result(self, actor: Actor, objective_id: AnyId, fields: dict[str, Any],
                       expected_version: int | None = None,
                       reason: str = "") -> Created[Objective]:
        def body(objective: Objective, step: Step) -> Changed:
            return Changed(created_id=objective.add_key_result(step, fields, reason))
        return made(self.on_objective(objective_id, "edit", actor, expected_version, body,
                                      why=reason))

    def edit_key_result(self, actor: Actor, objective_id: AnyId, key_result_id: str,
                        fields: dict[str, Any], expected_version: int | None = None,
                        reason: str = "") -> CommandResult[Objective]:
        return self.on_objective(
            objective_id, "edit", actor, expected_version,
            lambda objective, step: objective.edit_key_result(step, key_result_id, fields,
                                                              reason), why=reason)

    def remove_key_result(self, actor: Actor, objective_id: AnyId, key_result_id: str,
                          reason: str = "", expected_version: int | None = None
                          ) -> CommandResult[Objective]:
        return self.on_objective(
            objective_id, "edit", actor, expected_version,
            lambda objective, step: objective.remove_key_result(step, key_result_id, reason),
            why=reason)

    def carry_over(self, actor: Actor, objective_id: AnyId, cycle_id: AnyId,
                   reason: str = "") -> Created[Objective]:
        """Copy a closed or cancelled objective into a later cycle as a new draft."""
        target = self.cycle(cycle_id)

        def body(source: Objective, step: Step) -> Changed:
            people = {"owner": source.owner, "reviewer": source.reviewer}
            copy = refused_with(self.people_faults(people), lambda: Objective.carry_into(
                source, step, cycle=target, from_cycle=self.cycle(source.cycle_id),
                reason=reason))
            index = self._owner_index(copy.cycle_id, copy.owner)
            index.add(str(copy.id))
            return Changed(created_id=str(copy.id), also_save=(copy, index))
        return made(self.on_objective(objective_id, "carry_over", actor, None, body,
                                      why=reason))

    def _managers_review(self, owner: str) -> str:
        """The owner's manager, who reviews when no reviewer is named."""
        person = self.find_person(owner)
        if person is None or not person.manager:
            raise ValidationError([("reviewer", f"is required: {owner!r} has no manager in the "
                                                "people directory to review by default")])
        return person.manager

    def _move_owner(self, objective: Objective, old_owner: str) -> tuple[OwnerCycleIndex, ...]:
        if objective.owner == old_owner:
            return ()
        old_index = self._owner_index(objective.cycle_id, old_owner)
        old_index.remove(str(objective.id))
        new_index = self._owner_index(objective.cycle_id, objective.owner)
        new_index.add(str(objective.id))
        return old_index, new_index


def require_admin_to_change_people(actor: Actor, objective: Objective,
                                   fields: dict[str, Any]) -> None:
    """Who owns and who reviews a draft is changed by an admin: an owner who could name
    themselves reviewer, or give the objective to a friend and review it, would approve their
    own work (the reviewer hands over with `hand_over_review`)."""
    changed = sorted(name for name in PEOPLE_FIELDS
                     if name in fields and fields[name] != getattr(objective, name))
    if changed and not actor.is_admin:
        raise PermissionDeniedError(
            f"{actor.name} may not change the {' and '.join(changed)} of an objective: that "
            "is for an admin (a reviewer hands the review over with POST "
            "/v1/objectives/{id}/hand-over)")


def draft_step(actor: Actor) -> Step:
    """The permission slip for filling in a brand-new draft, which only its creator holds
    (benchmarks/population.py builds objectives with it)."""
    return Step(action="edit", source=ObjectiveState.DRAFT.value,
                dest=ObjectiveState.DRAFT.value, actor=actor.name)
