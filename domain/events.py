"""The base of every event the ledger records, and of every aggregate that records them.

Each event takes the one recorded time of the command that records it (`domain.commands`), so
every event of one command has the same time. (Where the command came from, its id and the
role its actor acted in are the event's `metadata`, stamped when it is saved:
`workflows/event_metadata.py`.)

Events are at class version 2: version 2 added a `reason` or `comment` to the commands that had
none, and a `check_in_id` to check-ins. One upcast, on this base class, fills each such field
an older stored event lacks with what is true of every older event: no reason given, and the
check-in's id derived from its objective and version (the id a version-2 check-in is given too,
so the ids of old and new check-ins agree).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.commands import command_time


def check_in_id_for(objective_id: UUID | str, version: int) -> str:
    """A check-in's id: stable, derived from the objective and the version it recorded."""
    return str(uuid5(NAMESPACE_URL, f"okr-ledger:check-in:{objective_id}:{version}"))


VERSION_2_DEFAULTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "reason": lambda state: "",
    "comment": lambda state: "",
    "check_in_id": lambda state: check_in_id_for(state["originator_id"],
                                                 state["originator_version"]),
}


class CommandEvent(Aggregate.Event):
    """An event recorded by a command, at the command's time."""

    class_version = 2

    @staticmethod
    def create_timestamp() -> datetime:
        """The library asks each new event for its time: every event of one command gets the
        command's one recorded time."""
        return command_time()

    @classmethod
    def upcast_v1_v2(cls, state: dict[str, Any]) -> None:
        """Fill the fields version 2 added that this event class declares (see the module)."""
        for field in dataclasses.fields(cls):
            if field.name not in state and field.name in VERSION_2_DEFAULTS:
                state[field.name] = VERSION_2_DEFAULTS[field.name](state)


class CommandAggregate(Aggregate):
    """An aggregate whose events take their command's time."""

    class Event(CommandEvent):
        pass
