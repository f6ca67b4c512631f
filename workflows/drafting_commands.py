"""Drafting an objective: create it, edit it and its key results, carry one over."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.alignment import alignment_violations
from domain.errors import PermissionDeniedError, ValidationError
from domain.indexes import OwnerCycleIndex
from domain.objective import Objective
from domain.objective_fields import validate_objective_fields
from domain.steps import Step
from domain.values import CycleState, ObjectiveKind, ObjectiveState
from workflows.actors import Actor
from workflows.ledger_base import Changed, CommandResult, LedgerBase, require_writer


class DraftingCommands(LedgerBase):
    def draft_objective(self, actor: Actor, *, cycle_id: Any, title: Any, reviewer: Any,
                        level: Any, owner: Any = None, description: Any = "",
                        kind: Any = ObjectiveKind.BUSINESS.value, parent_id: Any = None,
                        supports: Any = None,
                        key_results: list[dict[str, Any]] | None = None) -> CommandResult:
        """Create a draft; members draft their own objectives, admins anyone's."""
        require_writer(actor)
        owner = owner or actor.name
        if owner != actor.name and not actor.is_admin:
            raise PermissionDeniedError(f"{actor.name} may only draft objectives they own")
        fields = {"title": title, "description": description or "", "owner": owner,
                  "reviewer": reviewer, "level": level, "kind": kind, "parent_id": parent_id,
                  "supports": supports if supports is not None else []}
        cycle = self.cycle(cycle_id)
        self._check_new_objective(fields, str(cycle.id), cycle.state)

        def attempt() -> CommandResult:
            objective = Objective(cycle_id=str(cycle.id), scoring_policy=cycle.scoring_policy,
                                  carried_over_from=None, actor=actor.name,
                                  state=ObjectiveState.DRAFT.value, **fields)
            self._add_initial_key_results(objective, actor, key_results or [])
            index = self._owner_index(str(cycle.id), owner)
            index.add(str(objective.id))
            position = self.save_all(objective, index)
            return CommandResult(objective, position, str(objective.id))
        return self.retrying(attempt, OwnerCycleIndex.create_id(str(cycle.id), owner), None)

    def edit_objective(self, actor: Actor, objective_id: Any, fields: dict[str, Any],
                       expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> Changed:
            merged = {**objective.public_fields(), **fields}
            if {"parent_id", "supports", "level", "owner", "reviewer"} & set(fields):
                self._check_alignment(objective, merged)
            old_owner = objective.owner
            objective.edit(step, fields)
            return Changed(also_save=self._move_owner(objective, old_owner))
        return self.on_objective(objective_id, "edit", actor, expected_version, body)

    def add_key_result(self, actor: Actor, objective_id: Any, fields: dict[str, Any],
                       expected_version: int | None = None) -> CommandResult:
        def body(objective: Objective, step: Any) -> Changed:
            return Changed(created_id=objective.add_key_result(step, fields))
        return self.on_objective(objective_id, "edit", actor, expected_version, body)

    def edit_key_result(self, actor: Actor, objective_id: Any, key_result_id: str,
                        fields: dict[str, Any], expected_version: int | None = None) -> CommandResult:
        return self.on_objective(
            objective_id, "edit", actor, expected_version,
            lambda objective, step: objective.edit_key_result(step, key_result_id, fields))

    def remove_key_result(self, actor: Actor, objective_id: Any, key_result_id: str,
                          reason: str = "", expected_version: int | None = None) -> CommandResult:
        return self.on_objective(
            objective_id, "edit", actor, expected_version,
            lambda objective, step: objective.remove_key_result(step, key_result_id, reason))

    def carry_over(self, actor: Actor, objective_id: Any, cycle_id: Any) -> CommandResult:
        """Copy a closed or cancelled objective into a later cycle as a new draft."""
        target = self.cycle(cycle_id)

        def body(source: Objective, step: Any) -> Changed:
            self._check_later_cycle(source, target)
            draft = Objective(
                cycle_id=str(target.id), title=source.title, description=source.description,
                owner=source.owner, reviewer=source.reviewer, level=source.level,
                kind=source.kind, parent_id=None, supports=[], actor=actor.name,
                scoring_policy=target.scoring_policy, carried_over_from=str(source.id),
                state=ObjectiveState.DRAFT.value)
            for kr in source.active_key_results:
                draft.add_key_result(draft_step(actor), _carried_fields(kr.to_dict()))
            index = self._owner_index(str(target.id), source.owner)
            index.add(str(draft.id))
            source.record_carry_over(step, str(draft.id), str(target.id))
            return Changed(created_id=str(draft.id), also_save=(draft, index))
        return self.on_objective(objective_id, "carry_over", actor, None, body)

    # ----- helpers -------------------------------------------------------------------------

    def _check_new_objective(self, fields: dict[str, Any], cycle_id: str, cycle_state: str) -> None:
        faults = validate_objective_fields(fields, creating=True)
        if cycle_state == CycleState.CLOSED.value:
            faults.append(("cycle_id", "the cycle is closed; choose a planning or active cycle"))
        if fields["owner"] == fields["reviewer"]:
            faults.append(("reviewer", "must be someone other than the owner"))
        if not faults:
            faults = self._alignment_faults(None, cycle_id, fields)
        if faults:
            raise ValidationError(faults)

    def _check_alignment(self, objective: Objective, fields: dict[str, Any]) -> None:
        faults = self._alignment_faults(str(objective.id), objective.cycle_id, fields)
        if fields.get("owner") == fields.get("reviewer"):
            faults.append(("reviewer", "must be someone other than the owner"))
        if faults:
            raise ValidationError(faults)

    def _alignment_faults(self, objective_id: str | None, cycle_id: str,
                          fields: dict[str, Any]) -> list[tuple[str, str]]:
        supports = fields.get("supports") or []
        if not isinstance(supports, list):
            return [("supports", "must be a list of objective ids")]
        return alignment_violations(
            objective_id=objective_id, cycle_id=cycle_id, level=fields.get("level") or "",
            parent_id=fields.get("parent_id"), supports=supports, lookup=self.find_objective)

    def _add_initial_key_results(self, objective: Objective, actor: Actor,
                                 key_results: list[dict[str, Any]]) -> None:
        faults: list[tuple[str, str]] = []
        for index, fields in enumerate(key_results):
            try:
                objective.add_key_result(draft_step(actor), fields)
            except ValidationError as error:
                faults += [(f"key_results[{index}].{f}", m) for f, m in error.violations]
        if faults:
            raise ValidationError(faults)

    def _owner_index(self, cycle_id: str, owner: str) -> OwnerCycleIndex:
        try:
            return self.fetch(OwnerCycleIndex.create_id(cycle_id, owner))
        except AggregateNotFoundError:
            return OwnerCycleIndex(cycle_id, owner)

    def _move_owner(self, objective: Objective, old_owner: str) -> tuple[OwnerCycleIndex, ...]:
        if objective.owner == old_owner:
            return ()
        old_index = self._owner_index(objective.cycle_id, old_owner)
        old_index.remove(str(objective.id))
        new_index = self._owner_index(objective.cycle_id, objective.owner)
        new_index.add(str(objective.id))
        return old_index, new_index

    def _check_later_cycle(self, source: Objective, target: Any) -> None:
        source_cycle = self.cycle(source.cycle_id)
        faults = []
        if target.starts_on <= source_cycle.starts_on:
            faults.append(("cycle_id", f"must be a cycle starting after {source_cycle.name}"))
        if target.state == CycleState.CLOSED.value:
            faults.append(("cycle_id", "the target cycle is closed"))
        if faults:
            raise ValidationError(faults)


def draft_step(actor: Actor) -> Step:
    """The permission slip for filling in a brand-new draft, which only its creator holds."""
    return Step(action="edit", source="draft", dest="draft", actor=actor.name)


def _carried_fields(kr: dict[str, Any]) -> dict[str, Any]:
    names = ("title", "kind", "description", "start", "target", "unit", "direction", "due_on",
             "challenge", "weight")
    fields = {name: kr[name] for name in names if kr.get(name) is not None}
    return fields
