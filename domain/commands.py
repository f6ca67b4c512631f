"""One command, one moment: what every event recorded by one command shares.

A command (one call of the ledger: draft, check in, approve, carry over...) may record several
events: a draft and its first key results, a carry-over's source and copy, an objective and its
owner's index. They share one recorded time and one `metadata` (the command's id and the role
its actor acted in), so a reader can always tell where a command begins and ends, and a read
by moment never lands in the middle of one.

The ledger opens a `CommandContext` for each command (`LedgerBase.retrying`, one per command,
the time taken afresh for each attempt); `CommandEvent`, the base of every event the ledger
records, takes its time from it when an event is created, and the ledger stamps its
`metadata()` on each event it saves, together with where the command came from (the request
id, `workflows/event_metadata.py`). Outside a command (an aggregate used directly, say in a
benchmark) events get the current time and no command metadata, as before.

To record something more of every command: add a field here and put it into `metadata()`
(it is filled where the ledger opens the context, `LedgerBase.command_context`); or, for what
comes from outside the ledger such as the HTTP request, add it to the origin the API records
(`workflows.event_metadata.recording_origin`). Every event of the command then carries it.

A command's time is now, unless the commands run inside `recorded_by(clock)`: then each takes
its time from that clock. It is how a history that took weeks is loaded in a moment (the demo),
with each command at the time it stands for, through the ledger's own commands; the live path
never sets one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from eventsourcing.domain import datetime_now_with_tzinfo


@dataclass
class CommandContext:
    command_id: str
    role: str | None = None
    """The relation the actor acted in: owner, reviewer or admin (set when authorised)."""
    recorded_at: datetime | None = None
    """The one time every event of the command records; taken at its first event."""

    @classmethod
    def new(cls) -> CommandContext:
        return cls(command_id=str(uuid4()))

    def moment(self) -> datetime:
        if self.recorded_at is None:
            self.recorded_at = (_CLOCK.get() or datetime_now_with_tzinfo)()
        return self.recorded_at

    def metadata(self) -> dict[str, str]:
        found = {"command_id": self.command_id}
        if self.role is not None:
            found["role"] = self.role
        return found


Clock = Callable[[], datetime]
_CURRENT: ContextVar[CommandContext | None] = ContextVar("okr_command", default=None)
_CLOCK: ContextVar[Clock | None] = ContextVar("okr_clock", default=None)


@contextmanager
def recorded_by(clock: Clock) -> Iterator[None]:
    """Give the commands run in the block (in this thread) their times from `clock`, called
    once per attempt of each command; it must answer aware times that never go back."""
    token = _CLOCK.set(clock)
    try:
        yield
    finally:
        _CLOCK.reset(token)


@contextmanager
def recording(context: CommandContext) -> Iterator[CommandContext]:
    """Make `context` the current command's for the block (per thread, so concurrent commands
    never share one)."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def current_command() -> CommandContext | None:
    return _CURRENT.get()


def command_metadata() -> dict[str, str]:
    """What the current command stamps on its events (nothing outside a command)."""
    context = _CURRENT.get()
    return {} if context is None else context.metadata()


def command_time() -> datetime:
    """The current command's one recorded time (now, outside a command)."""
    context = _CURRENT.get()
    return (_CLOCK.get() or datetime_now_with_tzinfo)() if context is None else context.moment()
