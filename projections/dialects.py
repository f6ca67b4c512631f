"""The two SQL dialects a view is written in, kept thin.

A view declares its tables and writes with `?` placeholders and a `{p}` table prefix; the
SQLite and PostgreSQL recorders below fill those in and otherwise share every line. Both extend
the library's tracking recorders, so the tracking table, its conditional insert (which refuses a
position already recorded) and `max_tracking_id` are the library's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.sql import SQL


class ViewTables:
    """A view's tables and how one batch of its changes is written; subclasses fill it in.

    Mixed in before a dialect's tracking recorder below, which supplies the library's
    `_insert_tracking` (the same call its process recorders make inside their transaction).
    """

    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    datastore: Any

    def write_changes(self, cursor: Any, changes: Any) -> None:
        raise NotImplementedError

    def sql(self, statement: str) -> str:
        raise NotImplementedError

    def tracking_table(self) -> str:
        raise NotImplementedError

    def commit(self, changes: Any, tracking: Tracking) -> None:
        """Write the changes and their position in one transaction; tracking first, so a
        second writer of the same position waits on the tracking row and then fails whole."""
        with self.datastore.transaction(commit=True) as cursor:
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
            cursor.execute(self.sql(f"DELETE FROM {self.tracking_table()} "
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
