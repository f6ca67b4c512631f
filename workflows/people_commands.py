"""The people directory: adding, changing and (de)activating people (admins only), reading them.

Each person is an aggregate of its own (`domain.person`), found by subject in one lookup; the
directory (`domain.indexes.PeopleDirectory`) lists every subject in the order added and is
saved in the same transaction as each new person. The rule every owner and reviewer must pass
(a known, active person) is `LedgerBase.people_faults`, which the objective commands apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eventsourcing.domain import Aggregate

from domain.errors import NotFoundError, ValidationError
from domain.indexes import PeopleDirectory
from domain.person import Person, PersonLookup
from workflows.actors import Actor
from workflows.ledger_base import (
    CommandResult,
    Created,
    LedgerBase,
    acting_as,
    check_version,
    require_admin,
)
from workflows.pages import Page, fetch_size, page_of
from workflows.time_travel import history_entry

ACTIVE, REASON = "active", "reason"


class PeopleCommands(LedgerBase):
    def register_person(self, actor: Actor, *, subject: str, display_name: str, email: str = "",
                        manager: str | None = None) -> Created[Person]:
        require_admin(actor, "add people to the directory")

        def attempt() -> Created[Person]:
            acting_as("admin")
            _refuse_known(self.find_person(subject))
            person = Person.register(subject=subject, display_name=display_name, email=email,
                                     manager=manager, actor=actor.name, lookup=self.find_person)
            directory = self.people_directory()
            directory.add(subject)
            return Created(person, self.save_all(person, directory, created_id=subject),
                           subject)
        return self.retrying(attempt, PeopleDirectory.create_id(), None)

    def edit_person(self, actor: Actor, subject: str, changes: Mapping[str, Any],
                    expected_version: int | None = None) -> CommandResult[Person]:
        """Change a person's fields; `active: False` deactivates them (with a `reason`),
        `True` brings them back. A change to nothing records nothing."""
        require_admin(actor, "change the people directory")

        def attempt() -> CommandResult[Person]:
            acting_as("admin")
            person = self.person(subject)
            check_version(person, expected_version)
            apply_changes(person, changes, actor.name, self.find_person)
            return CommandResult(person, self.save_all(person))
        return self.retrying(attempt, Person.create_id(subject), expected_version)

    def person(self, subject: str) -> Person:
        found = self.find_person(subject)
        if found is None:
            raise NotFoundError("person", subject)
        return found

    def people(self, *, after: int = 0, limit: int | None = None,
               active: bool | None = None) -> Page[Person]:
        """People in the order they were added, from the `after`-th on, `active` or not
        (both: None). The directory only grows, so a page's key, a count, stays valid."""
        subjects = self.people_directory().subjects
        wanted = fetch_size(limit)
        found: list[tuple[int, Person]] = []
        for index in range(after, len(subjects)):
            person = self.person(subjects[index])
            if active in (None, person.active):
                found.append((index + 1, person))
            if wanted is not None and len(found) == wanted:
                break
        return page_of(found, limit, lambda row: (row[0],), lambda row: row[1])

    def person_history(self, subject: str, *, after: int = 0,
                       limit: int | None = None) -> Page[dict[str, Any]]:
        """Every change to the person after version `after`, oldest first: type, version,
        time, actor, position in the log, data (as an objective's history: the positions come
        from the events' own table, `MomentIndex.positions_of`)."""
        person_id = self.person(subject).id
        events = [event for event in self.events.get(person_id, gt=after,
                                                     limit=fetch_size(limit))
                  if isinstance(event, Aggregate.Event)]
        positions = self.moments.positions_of(person_id) if events else {}
        return page_of(events, limit, lambda event: (event.originator_version,),
                       lambda event: history_entry(event, positions.get(
                           event.originator_version)))


def apply_changes(person: Person, changes: Mapping[str, Any], actor: str,
                  lookup: PersonLookup) -> None:
    """Apply a change of fields and of `active` to `person`, as one command does."""
    fields = {name: value for name, value in changes.items() if name not in (ACTIVE, REASON)}
    if fields:
        person.edit(fields, actor, lookup)
    reason = str(changes.get(REASON) or "")
    if changes.get(ACTIVE) is False:
        person.deactivate(actor, reason)
    elif changes.get(ACTIVE) is True:
        person.reactivate(actor, reason)


def _refuse_known(person: Person | None) -> None:
    if person is not None:
        raise ValidationError([("subject", f"{person.subject!r} is already in the people "
                                           "directory; change them instead")])
