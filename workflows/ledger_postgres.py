"""PostgreSQL: the ledger's recorder, with the moment index and the idempotency records.

The records' table (`okr_idempotency`) lives in the ledger's schema. A save's completions are
checked and written before its events, in the library's insert transaction (`_insert_events`,
outside its pipeline's error capture, so a completion whose claim was taken over raises and
the whole transaction rolls back); their log positions are filled in once the events' ids are
known, by a key the transaction already holds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import eventsourcing.postgres as library
from eventsourcing.persistence import StoredEvent
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL

from workflows.idempotency import RESERVATION_LOST, ReservationLostError, completions_of
from workflows.idempotency_sql import (
    COMPLETE,
    CREATE_TABLE,
    SET_POSITION,
    Row,
    SQLIdempotencyRecords,
    completion_params,
    last_positions,
)
from workflows.moments_postgres import PostgresMomentsFactory, PostgresMomentsRecorder

TABLE = "okr_idempotency"


class PostgresLedgerRecorder(SQLIdempotencyRecords, PostgresMomentsRecorder):
    def __init__(self, datastore: library.PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.idempotency_table = f'"{datastore.schema}".{TABLE}'
        self.sql_create_statements.append(SQL(self._sql(CREATE_TABLE)))  # type: ignore[arg-type]

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        completed_at = time.time()
        for completion in completions_of(kwargs):
            curs.execute(self._sql(COMPLETE + " RETURNING key_id"),
                         completion_params(completion, completed_at, None), prepare=False)
            if curs.fetchone() is None:
                raise ReservationLostError(RESERVATION_LOST)

    def _fetch_ids_after_insert_events(self, curs: Cursor[DictRow],
                                       stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        completions = completions_of(kwargs)
        if completions:
            stored = [(str(e.originator_id), e.originator_version) for e in stored_events]
            positions = last_positions(stored, notification_ids or (), completions)
            with curs.connection.cursor() as rows:
                for completion, position in zip(completions, positions, strict=True):
                    rows.execute(self._sql(SET_POSITION), (position, completion.key_id),
                                 prepare=False)
        return notification_ids

    def run_idempotency(self, statement: str, params: Sequence[object]
                        ) -> list[Row] | int:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql(statement), tuple(params), prepare=False)
            if statement.startswith("SELECT"):
                return [dict(row) for row in curs.fetchall()]
            return curs.rowcount

    def _sql(self, statement: str) -> str:
        return statement.format(t=self.idempotency_table).replace("?", "%s")


class PostgresLedgerFactory(PostgresMomentsFactory):
    application_recorder_class = PostgresLedgerRecorder
