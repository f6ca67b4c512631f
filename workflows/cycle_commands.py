"""Opening, starting and closing cycles (admins only), and listing them."""

from __future__ import annotations

from domain.cycle import Cycle
from domain.indexes import CycleCatalog
from domain.values import ScoringPolicy
from workflows.actors import Actor
from workflows.cycle_workflow import CYCLE_WORKFLOW
from workflows.ledger_base import (
    AnyId,
    CommandResult,
    Created,
    LedgerBase,
    acting_as,
    check_version,
    require_admin,
)


class CycleCommands(LedgerBase):
    def open_cycle(self, actor: Actor, *, name: str, starts_on: str, ends_on: str,
                   scoring_policy: str = ScoringPolicy.GRADE.value) -> Created[Cycle]:
        require_admin(actor, "open a cycle")

        def attempt() -> Created[Cycle]:
            acting_as("admin")
            cycle = Cycle.open(name=name, starts_on=starts_on, ends_on=ends_on, actor=actor.name,
                               scoring_policy=scoring_policy)
            catalog = self._catalog()
            catalog.add(str(cycle.id))
            return Created(cycle, self.save_all(cycle, catalog, created_id=str(cycle.id)),
                           str(cycle.id))
        return self.retrying(attempt, CycleCatalog.create_id(), None)

    def start_cycle(self, actor: Actor, cycle_id: AnyId,
                    expected_version: int | None = None) -> CommandResult[Cycle]:
        return self._cycle_step(actor, cycle_id, "start", expected_version)

    def close_cycle(self, actor: Actor, cycle_id: AnyId,
                    expected_version: int | None = None) -> CommandResult[Cycle]:
        return self._cycle_step(actor, cycle_id, "close", expected_version)

    def list_cycles(self) -> list[Cycle]:
        return [self.cycle(cycle_id) for cycle_id in self._catalog().cycle_ids]

    def _cycle_step(self, actor: Actor, cycle_id: AnyId, action: str,
                    expected_version: int | None) -> CommandResult[Cycle]:
        require_admin(actor, f"{action} a cycle")

        def attempt() -> CommandResult[Cycle]:
            cycle = self.cycle(cycle_id)
            check_version(cycle, expected_version)
            step = CYCLE_WORKFLOW.step(action, cycle.state, actor.name, {"admin"})
            acting_as(step.role)
            getattr(cycle, action)(step)
            return CommandResult(cycle, self.save_all(cycle))
        return self.retrying(attempt, cycle_id, expected_version)

    def _catalog(self) -> CycleCatalog:
        return self._stored_or_new(CycleCatalog, CycleCatalog.create_id(), CycleCatalog)
