"""The two SQL dialects a view is written in, kept thin.

A view declares its tables and writes with `?` placeholders and a `{p}` table prefix; the
SQLite and PostgreSQL recorders below fill those in and otherwise share every line. Both extend
the library's tracking recorders, so the tracking table, its conditional insert (which refuses a
position already recorded) and `max_tracking_id` are the library's own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.sql import SQL


class PositionMovedError(Exception):
    """Another follower recorded a batch since this one began; this batch is void."""

    def __init__(self, application_name: str, expected: int) -> None:
        super().__init__(f"the view's position for {application_name} is no longer {expected}")


class ViewTables(ABC):
    """A view's tables and how one batch of its changes is written; subclasses fill it in.

    Mixed in before a dialect's tracking recorder below, which supplies the library's
    `_insert_tracking` (the same call its process recorders make inside their transaction).
    """

    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    datastore: Any

    @abstractmethod
    def write_changes(self, cursor: Any, changes: Any) -> None:
        """Supplied by each concrete subclass."""

    @abstractmethod
    def sql(self, statement: str) -> str:
        """Supplied by each concrete subclass."""

    @abstractmethod
    def tracking_table(self) -> str:
        """Supplied by each concrete subclass."""

    def track(self, application_name: str) -> None:
        """Give the view a tracking row at position 0, so every commit has a row to lock."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.sql(f"INSERT INTO {self.tracking_table()} VALUES (?, 0) "
                                    "ON CONFLICT (application_name) DO NOTHING"),
                           [application_name])

    def commit(self, changes: Any, tracking: Tracking, after: int) -> None:
        """Write a batch that followed position `after`, with its last position, in one
        transaction. The tracking row is locked first and must still say `after`: a follower in
        another process that got there first makes this batch fail whole, never apply twice."""
        with self.datastore.transaction(commit=True) as cursor:
            table = self.tracking_table()
            name = [tracking.application_name]
            cursor.execute(self.sql(f"UPDATE {table} SET notification_id = notification_id "
                                    "WHERE application_name = ?"), name)
            cursor.execute(self.sql(f"SELECT notification_id FROM {table} "
                                    "WHERE application_name = ?"), name)
            row = cursor.fetchone()
            if row is None or row["notification_id"] != after:
                raise PositionMovedError(tracking.application_name, after)
            self._insert_tracking(cursor, tracking)  # type: ignore[attr-defined]
            self.write_changes(cursor, changes)

    def select(self, statement: str, params: Sequence[Any] = ()) -> list[Mapping[str, Any]]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.sql(statement), list(params))
            return list(cursor.fetchall())

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0  # type: ignore[attr-defined]

    def drop(self, application_name: str) -> None:
        """Empty the view and forget its position, in one transaction, ready for a replay."""
        with self.datastore.transaction(commit=True) as cursor:
            for table in self.tables:
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{p}}{table}"))
            for statement in self.ddl:
                cursor.execute(self.sql(statement))
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = 0 "
                                    "WHERE application_name = ?"), [application_name])

    def execute_many(self, cursor: Any, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            cursor.executemany(self.sql(statement), rows)


class SQLiteView(ViewTables, SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [self.sql(s) for s in self.ddl]

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", "")

    def tracking_table(self) -> str:
        return "tracking"


class PostgresView(ViewTables, PostgresTrackingRecorder):
    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(SQL(self.sql(s)) for s in self.ddl)  # type: ignore[arg-type]

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", f'"{self.datastore.schema}".').replace("?", "%s")

    def tracking_table(self) -> str:
        return f'"{self.datastore.schema}"."{self.tracking_table_name}"'
