"""Idempotent commands: a key's record is stored in the same transaction as the command's events.

A caller's key is first *claimed* (a reservation with an expiry, in its own transaction), so a
retry arriving while the first attempt runs is told to wait. The command then runs as usual,
and its save writes the key's *completion* (what it made, at which version and log position)
with its events, in one transaction: a key is either absent or complete, whatever crashes
when. A retry of a complete key replays the command's result from that record, never running
it twice; a reservation whose request died expires, and the key runs fresh (nothing of it was
stored). A reservation that expired while its request still ran cannot complete any more: the
completion checks that the claim is still the one made, so that request writes nothing.

The records are rows beside the events (the recorders in `workflows.ledger_stores`), not
events: completed keys are forgotten after a retention period and purged, which an event log
must never do; and they are no business of the stream's consumers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import LedgerError

IDEMPOTENCY = "idempotency"
"""The keyword argument that carries a save's completion from `save` down to the recorder."""
MICROSECONDS = 1_000_000


@dataclass(frozen=True)
class IdempotencyRecord:
    """What the store holds for a key: its request's fingerprint, who holds its reservation
    until when, and once complete, the command's result."""

    key_id: str
    fingerprint: str
    claim: str
    reserved_until: int
    completed_at: int | None = None
    subject_id: str | None = None
    subject_version: int | None = None
    created_id: str | None = None
    position: int | None = None

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    def seconds_reserved(self, now: float) -> int:
        """Whole seconds (at least 1) until the reservation expires."""
        return max(1, -(-(self.reserved_until - micros(now)) // MICROSECONDS))


@dataclass(frozen=True)
class Completion:
    """The row a save writes with its events: the claim it completes and what it did. `last`
    names the save's last event, whose log position the recorder fills in."""

    key_id: str
    claim: str
    subject_id: str
    subject_version: int
    created_id: str | None
    last: tuple[UUID, int]


@dataclass
class IdempotentCommand:
    """The key the current command runs under: claimed by this request (`claim`), or complete
    already (`replay`), in which case the ledger answers from the record instead of running."""

    key_id: str
    claim: str | None = None
    replay: IdempotencyRecord | None = None
    completed: bool = False


RESERVATION_LOST = ("this request's Idempotency-Key reservation expired while it ran and a "
                    "retry took the key over; nothing was written: retry to learn its outcome")


class ReservationLostError(LedgerError):
    """The key's reservation expired while its command ran and a retry claimed it: this
    command wrote nothing."""


CURRENT: ContextVar[IdempotentCommand | None] = ContextVar("okr_idempotent_command",
                                                           default=None)


@contextmanager
def running_under(command: IdempotentCommand) -> Iterator[IdempotentCommand]:
    """Run the commands of the block under `command`'s key."""
    token = CURRENT.set(command)
    try:
        yield command
    finally:
        CURRENT.reset(token)


def completion_rows(aggregates: Sequence[Aggregate],
                    created_id: str | None) -> dict[str, list[Any]]:
    """What a save of `aggregates` hands the recorder for the current command's key: its
    completion, if this request claimed one (the first aggregate is the command's subject)."""
    command = CURRENT.get()
    events = [event for aggregate in aggregates for event in aggregate.pending_events]
    if command is None or command.claim is None or not events:
        return {}
    subject = aggregates[0]
    return {IDEMPOTENCY: [Completion(command.key_id, command.claim, str(subject.id),
                                     subject.version, created_id,
                                     (events[-1].originator_id, events[-1].originator_version))]}


def saved_under_key() -> None:
    """The current command's save went in: its key is complete."""
    command = CURRENT.get()
    if command is not None and command.claim is not None:
        command.completed = True


def replaying() -> IdempotencyRecord | None:
    """The completed record the current command is to answer from, if it is a retry."""
    command = CURRENT.get()
    return None if command is None else command.replay


def micros(seconds: float) -> int:
    return int(seconds * MICROSECONDS)


class IdempotencyRecords(ABC):
    """The records' table, kept by the ledger's recorder beside the events."""

    @abstractmethod
    def claim_key(self, key_id: str, fingerprint: str, claim: str, now: float,
                  reserve_for: float, retain_for: float) -> IdempotencyRecord | None:
        """Reserve `key_id` for `claim` until `now + reserve_for`; None when this claim holds
        it, else the record in the way: complete (and younger than `retain_for`), or a
        reservation still running. An expired reservation or record is claimed over."""

    @abstractmethod
    def release_key(self, key_id: str, claim: str) -> None:
        """Forget `claim`'s reservation, unless its command completed: the key is absent."""

    @abstractmethod
    def purge_keys(self, now: float, retain_for: float) -> int:
        """Delete records completed more than `retain_for` ago, and reservations expired more
        than `retain_for` ago; how many went."""


def completions_of(kwargs: dict[str, Any]) -> Sequence[Completion]:
    """The completions a save handed to the recorder (none from a save without a key)."""
    completions: Sequence[Completion] = kwargs.get(IDEMPOTENCY, ())
    return completions
