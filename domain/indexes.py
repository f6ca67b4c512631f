"""Index aggregates with derived ids: lists the ledger needs without scanning every objective.

The method caps objectives per owner per cycle; counting them by scanning would not scale and
would race, so the list lives in one aggregate whose id is derived from (cycle, owner) and is
saved in the same transaction as the objective it lists. The catalogue of cycles works alike.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.events import CommandAggregate


class OwnerCycleIndex(CommandAggregate):
    @staticmethod
    def create_id(cycle_id: str, owner: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"okr-ledger:owner-cycle:{cycle_id}:{owner}")

    @event("Created")
    def __init__(self, cycle_id: str, owner: str) -> None:
        self.cycle_id, self.owner = cycle_id, owner
        self.objective_ids: list[str] = []

    @event("ObjectiveListed")
    def add(self, objective_id: str) -> None:
        self.objective_ids.append(objective_id)

    @event("ObjectiveUnlisted")
    def remove(self, objective_id: str) -> None:
        self.objective_ids.remove(objective_id)


class CycleCatalog(CommandAggregate):
    """Every cycle's id, in the order they were opened (one per deployment)."""

    @staticmethod
    def create_id() -> UUID:
        return uuid5(NAMESPACE_URL, "okr-ledger:cycles")

    @event("Created")
    def __init__(self) -> None:
        self.cycle_ids: list[str] = []

    @event("CycleListed")
    def add(self, cycle_id: str) -> None:
        self.cycle_ids.append(cycle_id)


class PeopleDirectory(CommandAggregate):
    """Every person's subject, in the order they were added (one per deployment)."""

    @staticmethod
    def create_id() -> UUID:
        return uuid5(NAMESPACE_URL, "okr-ledger:people")

    @event("Created")
    def __init__(self) -> None:
        self.subjects: list[str] = []

    @event("PersonListed")
    def add(self, subject: str) -> None:
        self.subjects.append(subject)
