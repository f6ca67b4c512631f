"""PostgreSQL: the library's persistence module with the moment index (see `moments`).

The index is a table beside the events (`okrledger_moments`), created with them when missing,
and written in the library's insert transaction, right after the events (a failed insert
writes neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any
from uuid import UUID

import eventsourcing.postgres as library
import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from workflows.moments import Moment, MomentIndex, MomentLookup, moments_of, moments_table

CREATE_TABLE = SQL(
    "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
    "originator_id {id_type} NOT NULL, originator_version bigint NOT NULL, "
    "recorded_at timestamptz NOT NULL, reached_at timestamptz NOT NULL, "
    "PRIMARY KEY (originator_id, originator_version))")
CREATE_INDEX = SQL(
    "CREATE INDEX IF NOT EXISTS {index} "
    "ON {schema}.{table} (originator_id, reached_at, originator_version)")
INSERT_ROW = SQL(
    "INSERT INTO {schema}.{table} VALUES (%(id)s, %(version)s, %(at)s, GREATEST(%(at)s, "
    "(SELECT reached_at FROM {schema}.{table} "
    "WHERE originator_id = %(id)s AND originator_version = %(version)s - 1)))")
SELECT_FIRST_AFTER = SQL(
    "SELECT EXISTS (SELECT 1 FROM {schema}.{table} "
    "WHERE originator_id = %(id)s AND originator_version = 1) AS indexed, "
    "(SELECT originator_version FROM {schema}.{table} WHERE originator_id = %(id)s "
    "AND reached_at > %(at)s ORDER BY reached_at, originator_version LIMIT 1) AS first_after")

SELECT_POSITIONS = SQL("SELECT originator_version, notification_id FROM {schema}.{table} "
                       "WHERE originator_id = %(id)s")


SELECT_ALL_LAST_INDEXED = SQL(
    "SELECT originator_id, MAX(originator_version) AS version FROM {schema}.{table} "
    "GROUP BY originator_id")
SELECT_LAST_INDEXED = SQL(
    "SELECT MAX(originator_version) AS version FROM {schema}.{table} WHERE originator_id = %(id)s")


class PostgresMomentsRecorder(MomentIndex, library.PostgresApplicationRecorder):
    def __init__(self, datastore: library.PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = moments_table(events_table_name)
        self.check_identifier_length(table)
        names = {"schema": Identifier(datastore.schema), "table": Identifier(table),
                 "index": Identifier(f"{table}_by_moment"),
                 "id_type": Identifier(datastore.originator_id_type)}
        self.sql_create_statements += [CREATE_TABLE.format(**names),
                                       CREATE_INDEX.format(**names)]
        self.insert_moment_statement = INSERT_ROW.format(**names)
        self.select_moment_statement = SELECT_FIRST_AFTER.format(**names)
        self.select_last_indexed_statement = SELECT_LAST_INDEXED.format(**names)
        self.select_all_last_indexed_statement = SELECT_ALL_LAST_INDEXED.format(**names)
        self.select_positions_statement = SELECT_POSITIONS.format(
            schema=Identifier(datastore.schema), table=Identifier(events_table_name))

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> None:
        """After the library's lock and insert, in its pipeline and transaction: a failed
        insert skips the rows too. Another cursor, as the library reads the new positions from
        this one; statements never prepared, as a failed pipeline loses preparations.

        An insert's failure (a version another writer took) can reach psycopg while these
        statements are still being sent, and be raised here rather than at the library's
        `pipeline.sync()`. The library then commits with the pipeline's other answers unread,
        and psycopg raises "pipeline aborted" (an OperationalError, which the library retries
        ten times and the ledger's retry loop does not expect) in place of the IntegrityError.
        So on any error here the pipeline is synced first, reading those answers, and the
        error itself is raised (tests/integration/test_postgres_conflicts.py)."""
        try:
            super()._insert_stored_events(curs, stored_events, **kwargs)
            self._insert_moments(curs, moments_of(kwargs))
        except psycopg.Error:
            _read_the_rest(curs.connection)
            raise

    def _insert_moments(self, curs: Cursor[DictRow],
                        moments: Sequence[Moment]) -> None:
        with curs.connection.cursor() as rows:
            for originator_id, version, moment in moments:
                rows.execute(self.insert_moment_statement,
                             {"id": originator_id, "version": version, "at": moment},
                             prepare=False)

    def last_indexed_versions(self) -> dict[UUID, int]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_all_last_indexed_statement)
            return {row["originator_id"]: int(row["version"]) for row in curs.fetchall()}

    def last_indexed_version(self, originator_id: UUID) -> int | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_last_indexed_statement, {"id": originator_id})
            row = curs.fetchone()
        assert row is not None  # an aggregate query always returns one row
        found: int | None = row["version"]
        return found

    def first_version_after(self, originator_id: UUID, moment: datetime) -> MomentLookup:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_moment_statement, {"id": originator_id, "at": moment},
                         prepare=True)
            row = curs.fetchone()
        assert row is not None  # an aggregate query always returns one row
        return MomentLookup(indexed=row["indexed"], first_version_after=row["first_after"])

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_positions_statement, {"id": originator_id}, prepare=True)
            return {row["originator_version"]: row["notification_id"] for row in curs.fetchall()}


def _read_the_rest(connection: psycopg.Connection[Any]) -> None:
    """Sync the open pipeline, reading every answer left in it. Entering a nested pipeline
    is psycopg's public way to sync the one open; the answers after a failure are "pipeline
    aborted" errors, which say nothing the first error does not."""
    with suppress(psycopg.Error), connection.pipeline():
        pass


class PostgresMomentsFactory(library.PostgresFactory):
    application_recorder_class = PostgresMomentsRecorder
