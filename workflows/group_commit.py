"""Group commit: the commands saving at the same moment share one transaction.

Under load, every command thread used to queue for the store's write lock (SQLite's one
connection that may write, PostgreSQL's lock on the events table) and paid a commit of its own
(benchmark row 2: a quarter of a check-in's time was the queue). Here the first thread to
arrive becomes the writer: it takes every save waiting at that moment and records them in one
transaction through the library's own steps (`_record`, `_take_snapshots`, `_notify`, as
`Application.save` runs them), while the next threads queue up behind it for the following
transaction. Each command was validated against its own aggregate before it queued, and its
thread is answered only once that transaction is durable. Saves of the same aggregate never
share a transaction: a later one waits for the next round, where the store itself decides.
If a transaction fails (a version another writer took first), nothing of it was stored and
each of its saves is recorded again alone, so one conflict fails only its own command, with the
library's IntegrityError that the command's retry loop expects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import Recording

Rows = dict[str, list[Any]]
"""What a save hands the recorder beside its events (`moments`: rows of the moment index), as
lists, so a transaction's rows are its saves' lists joined."""
Record = Callable[[ProcessingEvent[UUID]], list[Recording[UUID]]]
AfterRecord = Callable[[ProcessingEvent[UUID], list[Recording[UUID]]], None]
logger = logging.getLogger(__name__)


@dataclass
class PendingSave:
    aggregates: Sequence[Aggregate]
    rows: Rows
    events: list[DomainEventProtocol[UUID]] = field(default_factory=list)
    recordings: list[Recording[UUID]] = field(default_factory=list)
    error: BaseException | None = None
    done: bool = False

    def ids(self) -> set[UUID]:
        return {aggregate.id for aggregate in self.aggregates}


class GroupCommit:
    def __init__(self, record: Record, after_record: AfterRecord) -> None:
        """`record` stores one processing event in one transaction; `after_record` takes the
        snapshots and tells the listeners, once it is stored."""
        self.record, self.after_record = record, after_record
        self._waiting: list[PendingSave] = []
        self._writing = False
        self._changed = threading.Condition()

    def queued(self) -> int:
        """How many saves wait for the transaction after the one being written."""
        with self._changed:
            return len(self._waiting)

    def save(self, aggregates: Sequence[Aggregate], rows: Rows) -> list[Recording[UUID]]:
        """Record the aggregates' pending events, with those saved at the same moment; their
        recordings once durable. Raises whatever recording them alone would have raised."""
        pending = PendingSave(aggregates, rows)
        pending.events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        with self._changed:
            self._waiting.append(pending)
            while self._writing and not pending.done:
                self._changed.wait()
            if not pending.done:
                self._writing, waiting, self._waiting = True, self._waiting, []
        if not pending.done:
            self._write_rounds(waiting)
        if pending.error is not None:
            raise pending.error
        return pending.recordings

    def _write_rounds(self, waiting: list[PendingSave]) -> None:
        try:
            while waiting:
                round_, waiting = disjoint(waiting)
                self._write(round_)
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()

    def _write(self, saves: list[PendingSave]) -> None:
        try:
            self._record_together(saves)
        except Exception as error:  # noqa: BLE001 - each save gets its own outcome below
            if len(saves) == 1:
                saves[0].error = error
            else:
                for save in saves:
                    self._write([save])
        finally:
            for save in saves:
                save.done = True

    def _record_together(self, saves: list[PendingSave]) -> None:
        """One transaction for all of `saves`; then, the events being stored, the snapshots
        and listeners, whose failure is logged rather than failing stored commands."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for save in saves:
            processing.events.extend(save.events)
            processing.aggregates.update({aggregate.id: aggregate for aggregate in save.aggregates})
            for name, rows in save.rows.items():
                processing.saved_kwargs.setdefault(name, []).extend(rows)
        recordings = self.record(processing)
        start = 0
        for save in saves:
            save.recordings = recordings[start:start + len(save.events)]
            start += len(save.events)
        try:
            self.after_record(processing, recordings)
        except Exception:
            logger.exception("stored, but taking snapshots or telling listeners failed")


def disjoint(saves: list[PendingSave]) -> tuple[list[PendingSave], list[PendingSave]]:
    """The saves that can share a transaction (no aggregate in two of them), in arrival order,
    and the rest for the next."""
    taken: set[UUID] = set()
    now, later = [], []
    for save in saves:
        ids = save.ids()
        if ids & taken:
            later.append(save)
        else:
            taken |= ids
            now.append(save)
    return now, later
