"""An objective's history as whole commands: the unit an auditor reads and time travel lands on.

One command (a draft with its first key results, an approval, a carry-over) may record several
events of one objective; they share the command's id in their metadata (`domain.commands`).
Events recorded before commands had ids carry none: each of those is a command of its own.
A `RecordedCommand` holds a command's events with their log positions and the objective as it
stood before and after it, which the timeline and the diffs describe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.objective import Objective
from workflows.event_metadata import metadata_of
from workflows.replay import replay
from workflows.roles import acted_as


@dataclass
class RecordedCommand:
    """One command's events of one objective, oldest first, and the objective around it."""

    events: list[Aggregate.Event]
    positions: list[int]
    before: Objective | None
    after: Objective

    @property
    def command_id(self) -> str | None:
        return metadata_of(self.events[0]).get("command_id")

    @property
    def first_version(self) -> int:
        return self.events[0].originator_version

    @property
    def version(self) -> int:
        """The objective's version once the command is whole."""
        return self.events[-1].originator_version

    @property
    def position(self) -> int:
        """The log position of the command's last event of this objective."""
        return self.positions[-1]

    @property
    def time(self) -> datetime:
        return self.events[-1].timestamp

    @property
    def actor(self) -> str:
        return str(getattr(self.events[0], "actor", ""))

    @property
    def role(self) -> str:
        """The relation the actor acted in, as the objective then stood."""
        before = self.before or self.after
        return acted_as(self.actor, metadata_of(self.events[0]), before.owner, before.reviewer)

    @property
    def event_types(self) -> list[str]:
        return [type(event).__name__ for event in self.events]


def command_groups(events: Iterable[Aggregate.Event]) -> Iterator[list[Aggregate.Event]]:
    """Consecutive events of one command together; an event with no command id alone."""
    group: list[Aggregate.Event] = []
    for event in events:
        command_id = metadata_of(event).get("command_id")
        if group and (command_id is None or metadata_of(group[0]).get("command_id") != command_id):
            yield group
            group = []
        group.append(event)
    if group:
        yield group


def recorded_commands(events: Sequence[Aggregate.Event],
                      positions: dict[int, int]) -> list[RecordedCommand]:
    """The objective's commands, oldest first, each with the objective before and after it
    (replayed from the events, so nothing but the log is read)."""
    found: list[RecordedCommand] = []
    state: Any = None
    for group in command_groups(events):
        before = state
        state = replay(deepcopy(before) if before is not None else None, group)
        if not isinstance(state, Objective):
            raise TypeError("an objective's events replay into an objective")
        found.append(RecordedCommand(
            events=group, positions=[positions.get(e.originator_version, 0) for e in group],
            before=before, after=state))
    return found


def command_ends(events: Iterable[Aggregate.Event]) -> list[int]:
    """The versions at which a command of the objective is whole, oldest first."""
    return [group[-1].originator_version for group in command_groups(events)]
