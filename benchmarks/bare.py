"""The baseline for row 1: a bare eventsourcing Application and a minimal aggregate.

It does what one check-in through the ledger must do at the least (get the aggregate, trigger
one event carrying the same fields, save) with the ledger's own persistence settings: the same
store environment, the ledger's class-level environment (e.g. its aggregate cache) and the same
snapshotting interval. Given the ledger's projector it also replays events the same way, so
whatever the ledger costs beyond it is the ledger's own overhead; without one it replays with
the library's default projector.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application, project_aggregate
from eventsourcing.domain import Aggregate, event

from domain.objective import Objective
from workflows.ledger import OKRLedger


class Tally(Aggregate):
    @event("Started")
    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.current: float | None = None
        self.check_ins = 0

    @event("CheckedIn")
    def check_in(self, actor: str, state: str, key_result_id: str, value: float | None,
                 done: bool | None, confidence: float, note: str, met: bool | None) -> None:
        self.current = value
        self.check_ins += 1


class BareApplication(Application):
    env: ClassVar = dict(OKRLedger.env)
    snapshotting_intervals: ClassVar = {Tally: OKRLedger.snapshotting_intervals[Objective]}

    def __init__(self, env: dict[str, str], projector: Any = None) -> None:
        super().__init__(env)
        self.projector = projector or project_aggregate
        self.snapshotting_projectors = {Tally: self.projector}  # type: ignore[misc]  # per instance

    def start(self, owner: str) -> UUID:
        tally = Tally(owner)
        self.save(tally)
        return tally.id

    def check_in(self, tally_id: UUID, **fields: Any) -> None:
        tally: Tally = self.repository.get(tally_id, projector_func=self.projector)
        tally.check_in(**fields)
        self.save(tally)
