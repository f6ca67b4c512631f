"""`acknowledge_faults`: an admin's acknowledgement of integrity faults, recorded as an event
(`domain.acknowledgements`), and the guard through which the server refuses every write while
a fault is not acknowledged (`refuse_writes_when`)."""

from __future__ import annotations

from typing import Any

from domain.acknowledgements import FaultAcknowledgements
from workflows.actors import Actor
from workflows.ledger_base import CommandResult, LedgerBase, require_admin


class FaultAcknowledging(LedgerBase):
    def acknowledge_faults(self, actor: Actor, fingerprint: str, faults: list[dict[str, Any]],
                           reason: str) -> CommandResult[FaultAcknowledgements]:
        require_admin(actor, "acknowledge integrity faults")
        aggregate_id = FaultAcknowledgements.create_id()

        def attempt() -> CommandResult[FaultAcknowledgements]:
            record = self._stored_or_new(FaultAcknowledgements, aggregate_id,
                                         FaultAcknowledgements)
            record.acknowledge(fingerprint, faults, reason, actor.name)
            return CommandResult(record, self.save_all(record))
        return self.retrying(attempt, aggregate_id, None)
