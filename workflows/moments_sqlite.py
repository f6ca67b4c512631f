"""SQLite: the library's persistence module with the moment index (see `moments`).

The index is a table beside the events (`stored_moments`), created with them when missing,
and written by the same cursor in the same transaction. Times are whole microseconds since
1970, so they compare exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import eventsourcing.sqlite as library
from eventsourcing.persistence import StoredEvent

from workflows.moments import MomentIndex, MomentLookup, microseconds, moments_of, moments_table

CREATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS {table} (originator_id TEXT, originator_version INTEGER, "
    "recorded_at INTEGER, reached_at INTEGER, PRIMARY KEY (originator_id, originator_version)) "
    "WITHOUT ROWID")
CREATE_INDEX = ("CREATE INDEX IF NOT EXISTS {table}_by_moment "
                "ON {table} (originator_id, reached_at, originator_version)")
INSERT_ROW = (
    "INSERT INTO {table} VALUES (?1, ?2, ?3, MAX(?3, COALESCE((SELECT reached_at FROM {table} "
    "WHERE originator_id = ?1 AND originator_version = ?2 - 1), ?3)))")
SELECT_FIRST_AFTER = (
    "SELECT EXISTS (SELECT 1 FROM {table} WHERE originator_id = ?1 AND originator_version = 1), "
    "(SELECT originator_version FROM {table} WHERE originator_id = ?1 AND reached_at > ?2 "
    "ORDER BY reached_at, originator_version LIMIT 1)")


class SQLiteMomentsRecorder(MomentIndex, library.SQLiteApplicationRecorder):
    def __init__(self, datastore: library.SQLiteDatastore,
                 events_table_name: str = "stored_events") -> None:
        self.moments_table_name = moments_table(events_table_name)
        super().__init__(datastore, events_table_name)
        self.insert_moment_statement = INSERT_ROW.format(table=self.moments_table_name)
        self.select_moment_statement = SELECT_FIRST_AFTER.format(table=self.moments_table_name)
        self.select_positions_statement = (f"SELECT originator_version, rowid FROM "
                                           f"{self.events_table_name} WHERE originator_id = ?")

    def construct_create_table_statements(self) -> list[str]:
        """The library's tables, then the index's (called by the library's `__init__`)."""
        return [*super().construct_create_table_statements(),
                CREATE_TABLE.format(table=self.moments_table_name),
                CREATE_INDEX.format(table=self.moments_table_name)]

    def _insert_events(self, c: library.SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        c.executemany(self.insert_moment_statement,
                      [(originator_id.hex, version, microseconds(moment))
                       for originator_id, version, moment in moments_of(kwargs)])
        return notification_ids

    def last_indexed_version(self, originator_id: UUID) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MAX(originator_version) FROM {self.moments_table_name} "
                      "WHERE originator_id = ?", (originator_id.hex,))
            found: int | None = c.fetchone()[0]
        return found

    def last_indexed_versions(self) -> dict[UUID, int]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT originator_id, MAX(originator_version) FROM "
                      f"{self.moments_table_name} GROUP BY originator_id")
            return {UUID(row[0]): int(row[1]) for row in c.fetchall()}

    def first_version_after(self, originator_id: UUID, moment: datetime) -> MomentLookup:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.select_moment_statement, (originator_id.hex, microseconds(moment)))
            indexed, first_after = c.fetchone()
        return MomentLookup(indexed=bool(indexed), first_version_after=first_after)

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.select_positions_statement, (originator_id.hex,))
            return {version: position for version, position in c.fetchall()}


class SQLiteMomentsFactory(library.SQLiteFactory):
    application_recorder_class = SQLiteMomentsRecorder
