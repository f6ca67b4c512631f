"""Opening, starting and closing cycles (admins only), and listing them."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.cycle import Cycle
from domain.errors import PermissionDeniedError
from domain.indexes import CycleCatalog
from workflows.actors import Actor
from workflows.cycle_workflow import CYCLE_WORKFLOW
from workflows.ledger_base import CommandResult, LedgerBase, check_version


class CycleCommands(LedgerBase):
    def open_cycle(self, actor: Actor, *, name: Any, starts_on: Any, ends_on: Any,
                   scoring_policy: Any = "grade") -> CommandResult:
        _require_admin(actor, "open a cycle")

        def attempt() -> CommandResult:
            cycle = Cycle.open(name=name, starts_on=starts_on, ends_on=ends_on, actor=actor.name,
                               scoring_policy=scoring_policy)
            catalog = self._catalog()
            catalog.add(str(cycle.id))
            return CommandResult(cycle, self.save_all(cycle, catalog), str(cycle.id))
        return self.retrying(attempt, CycleCatalog.create_id(), None)

    def start_cycle(self, actor: Actor, cycle_id: Any,
                    expected_version: int | None = None) -> CommandResult:
        return self._cycle_step(actor, cycle_id, "start", expected_version)

    def close_cycle(self, actor: Actor, cycle_id: Any,
                    expected_version: int | None = None) -> CommandResult:
        return self._cycle_step(actor, cycle_id, "close", expected_version)

    def list_cycles(self) -> list[Cycle]:
        return [self.cycle(cycle_id) for cycle_id in self._catalog().cycle_ids]

    def _cycle_step(self, actor: Actor, cycle_id: Any, action: str,
                    expected_version: int | None) -> CommandResult:
        _require_admin(actor, f"{action} a cycle")

        def attempt() -> CommandResult:
            cycle = self.cycle(cycle_id)
            check_version(cycle, expected_version)
            step = CYCLE_WORKFLOW.step(action, cycle.state, actor.name, {"admin"})
            getattr(cycle, action)(step)
            return CommandResult(cycle, self.save_all(cycle))
        return self.retrying(attempt, cycle_id, expected_version)

    def _catalog(self) -> CycleCatalog:
        try:
            return self.fetch(CycleCatalog.create_id())
        except AggregateNotFoundError:
            return CycleCatalog()


def _require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDeniedError(f"only an admin may {what}; {actor.name} is {actor.role}")
