"""SQLite: the ledger's recorder, with the moment index and the idempotency records.

The records' table (`okr_idempotency`) lives in the events' file, and a save's completions are
written by the same cursor right after its events (`_insert_events`, in the library's
transaction): a completion whose claim was taken over raises, and the events go with it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import eventsourcing.sqlite as library
from eventsourcing.persistence import StoredEvent

from workflows.idempotency import RESERVATION_LOST, ReservationLostError, completions_of
from workflows.idempotency_sql import (
    COMPLETE,
    CREATE_TABLE,
    Row,
    SQLIdempotencyRecords,
    completion_params,
    last_positions,
)
from workflows.moments_sqlite import SQLiteMomentsFactory, SQLiteMomentsRecorder

TABLE = "okr_idempotency"


class SQLiteLedgerRecorder(SQLIdempotencyRecords, SQLiteMomentsRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), CREATE_TABLE.format(t=TABLE)]

    def _insert_events(self, c: library.SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        completions = completions_of(kwargs)
        if completions:
            stored = [(str(e.originator_id), e.originator_version) for e in stored_events]
            positions = last_positions(stored, notification_ids or (), completions)
            completed_at = time.time()
            for completion, position in zip(completions, positions, strict=True):
                c.execute(COMPLETE.format(t=TABLE),
                          completion_params(completion, completed_at, position))
                if c.sqlite_cursor.rowcount != 1:
                    raise ReservationLostError(RESERVATION_LOST)
        return notification_ids

    def run_idempotency(self, statement: str, params: Sequence[object]
                        ) -> list[Row] | int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement.format(t=TABLE), tuple(params))
            if statement.startswith("SELECT"):
                return [dict(row) for row in c.fetchall()]
            return int(c.sqlite_cursor.rowcount)


class SQLiteLedgerFactory(SQLiteMomentsFactory):
    application_recorder_class = SQLiteLedgerRecorder
