"""A `Step` is the workflow's permission slip for one transition.

The workflow (in `workflows/`) decides whether an action is allowed for this person in this
state and where it leads; the aggregate checks the slip was issued for its current state and
records the destination in the event. Events therefore carry the state they lead to, so
replaying old history never depends on today's transition table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import TransitionNotAllowedError
from domain.events import CommandEvent


class TransitionEvent(CommandEvent):
    """Base of an aggregate's events: who acted, and the state the event leads to.

    The state is set here, once for every event, so the `@event` methods only change what is
    particular to them.
    """

    actor: str
    state: str

    def apply(self, aggregate: Any) -> None:
        aggregate.state = self.state


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    dest: str
    actor: str
    role: str = ""
    """The relation the actor acts in: owner, reviewer or admin."""

    def check(self, action: str, state: str) -> None:
        """Refuse a slip issued for another action or a state the aggregate has left."""
        if self.action != action or self.source != state:
            raise TransitionNotAllowedError(
                action, state, [], why=f"step {self.action} from {self.source} does not apply"
            )
