"""The two SQL dialects a view is written in, kept thin.

A view declares its tables and writes with `?` placeholders and a `{p}` table prefix; the
SQLite and PostgreSQL recorders below fill those in and otherwise share every line
(`projections.view_tables`). Both extend the library's tracking recorders, so the tracking
table, its single row per followed application and `max_tracking_id` are the library's own.

A view's transactions are atomic but not flushed to disk one by one (SQLite's
`synchronous=NORMAL` in WAL mode, PostgreSQL's `synchronous_commit = off`): a view is derived
from the log, and its rows and position share each transaction, so a power loss can only take
the view back to an earlier position, from which the follower applies the log again. A process
killed mid-way loses nothing. The flush per batch was 16% of a rebuild (benchmark row 3), and
under load it competed with the ledger's own commits for the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL, Composed

from projections.projection import Changes
from projections.view_tables import ViewCursor, ViewTables


class SQLiteView(ViewTables[Changes], SQLiteTrackingRecorder):
    datastore: SQLiteDatastore

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [self.sql(s) for s in self.ddl]

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", "")

    def tracking_table(self) -> str:
        return "tracking"

    @contextmanager
    def unflushed_transaction(self) -> Iterator[ViewCursor]:
        with self.datastore.get_connection(commit=True) as connection:
            connection.cursor().execute("PRAGMA synchronous = NORMAL")  # not inside a transaction
            with connection.transaction(commit=True) as cursor:
                yield cursor


class PostgresView(ViewTables[Changes], PostgresTrackingRecorder):
    datastore: PostgresDatastore

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(Composed([SQL(self.sql(s))]) for s in self.ddl)

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", f'"{self.datastore.schema}".').replace("?", "%s")

    def tracking_table(self) -> str:
        return f'"{self.datastore.schema}"."{self.tracking_table_name}"'

    @contextmanager
    def unflushed_transaction(self) -> Iterator[ViewCursor]:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            yield cursor

    def insert_many(self, cursor: ViewCursor, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """COPY rather than INSERTs: psycopg sends an executemany as one statement per row,
        which was 40% of a PostgreSQL rebuild (benchmark row 3)."""
        if not isinstance(cursor, psycopg.Cursor):
            raise TypeError(f"a PostgreSQL view writes with psycopg's cursor, not {cursor!r}")
        statement = f"COPY {self.sql(table)} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
