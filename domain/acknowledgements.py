"""Acknowledgements of faults found in the tamper-evident log (one aggregate per deployment).

When verification finds a fault the server refuses writes until an admin acknowledges it, with
a reason. The acknowledgement is recorded here, in the very log it is about, so it is sealed
and signed like every other event: who acknowledged which faults, when, and why.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import ValidationError
from domain.events import CommandAggregate


class FaultAcknowledgements(CommandAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid5(NAMESPACE_URL, "okr-ledger:fault-acknowledgements")

    @event("Created")
    def __init__(self) -> None:
        self.fingerprints: list[str] = []

    def acknowledge(self, fingerprint: str, faults: list[dict[str, Any]], reason: str,
                    actor: str) -> None:
        if not reason.strip():
            raise ValidationError([("reason", "must say why the faults are acknowledged "
                                              "(what was found, what was done)")])
        self._acknowledged(fingerprint=fingerprint, faults=faults, reason=reason.strip(),
                           actor=actor)

    @event("FaultsAcknowledged")
    def _acknowledged(self, fingerprint: str, faults: list[dict[str, Any]], reason: str,
                      actor: str) -> None:
        self.fingerprints.append(fingerprint)
