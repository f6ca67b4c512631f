"""Loading many people at once (`okr people import`, the demo, tests): one command, one
transaction. Every row is checked first, managers before the people they manage (in the order
`graphlib` sorts them), and a single bad row refuses the whole load, naming the row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from domain.errors import ValidationError
from domain.indexes import PeopleDirectory
from domain.person import Person
from workflows.actors import Actor
from workflows.ledger_base import LedgerBase, acting_as, require_admin
from workflows.people_commands import apply_changes


@dataclass(frozen=True)
class PersonRow:
    subject: str
    display_name: str
    email: str = ""
    manager: str | None = None
    active: bool = True
    where: str = ""
    """How a fault names the row (`line 3`); by default its subject."""


@dataclass
class Imported:
    """What a load did, by subject; `position` is its last event's (0: nothing written)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    position: int = 0


class PeopleImport(LedgerBase):
    def import_people(self, actor: Actor, rows: Sequence[PersonRow]) -> Imported:
        """Add the people not in the directory and update those who are, all or nothing."""
        require_admin(actor, "load the people directory")

        def attempt() -> Imported:
            acting_as("admin")
            loaded: dict[str, Person] = {}
            faults, done = [], Imported()
            for row in in_manager_order(rows):
                try:
                    loaded[row.subject] = self._loaded(row, actor, loaded, done)
                except ValidationError as refused:
                    faults += [(f"{row.where or row.subject}: {name}", message)
                               for name, message in refused.violations]
            if faults:
                raise ValidationError(faults)
            done.position = self._save_loaded(loaded, done.added)
            return done
        return self.retrying(attempt, PeopleDirectory.create_id(), None)

    def _loaded(self, row: PersonRow, actor: Actor, loaded: dict[str, Person],
                done: Imported) -> Person:
        def lookup(subject: str) -> Person | None:
            return loaded.get(subject) or self.find_person(subject)
        person = lookup(row.subject)
        if person is None:
            person = Person.register(subject=row.subject, display_name=row.display_name,
                                     email=row.email, manager=row.manager, actor=actor.name,
                                     lookup=lookup)
            done.added.append(row.subject)
        changes = {"display_name": row.display_name, "email": row.email,
                   "manager": row.manager, "active": row.active}
        apply_changes(person, changes, actor.name, lookup)
        if row.subject not in done.added:
            (done.changed if person.pending_events else done.unchanged).append(row.subject)
        return person

    def _save_loaded(self, loaded: dict[str, Person], added: list[str]) -> int:
        directory = self.people_directory()
        for subject in added:
            directory.add(subject)
        changed = [person for person in loaded.values() if person.pending_events]
        return self.save_all(directory, *changed) if changed else 0


def in_manager_order(rows: Sequence[PersonRow]) -> list[PersonRow]:
    """The rows with every manager before the people they manage; a subject given twice or
    managers that loop refuse the load."""
    by_subject: dict[str, PersonRow] = {}
    faults = []
    for row in rows:
        if row.subject in by_subject:
            faults.append((f"{row.where or row.subject}: subject",
                           f"{row.subject!r} is given twice"))
        by_subject[row.subject] = row
    graph = {row.subject: {row.manager} & set(by_subject) for row in rows if row.manager}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as loop:
        faults.append(("manager", f"the managers loop: {' -> '.join(map(str, loop.args[1]))}"))
        order = []
    if faults:
        raise ValidationError(faults)
    ranked = {subject: rank for rank, subject in enumerate(order)}
    return sorted(by_subject.values(), key=lambda row: ranked.get(row.subject, -1))
