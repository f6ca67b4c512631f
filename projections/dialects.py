"""The two SQL dialects a view is written in, kept thin.

A view declares its tables and writes with `?` placeholders and a `{p}` table prefix; the
SQLite and PostgreSQL recorders below fill those in and otherwise share every line. Both extend
the library's tracking recorders, so the tracking table, its single row per followed
application and `max_tracking_id` are the library's own.

The one thing written by hand is the tracking row in `commit`. A view's rows and its position
must be one transaction, and eventsourcing 9.5 has no public call for that: `insert_tracking`
opens a transaction of its own (on PostgreSQL another pooled connection), and the library's own
recorders do it with the private `_insert_tracking`. So `commit` moves the library's row itself,
with one compare-and-set UPDATE that is also the guard against a follower in another process.

A view's batches are atomic but not flushed to disk one by one (SQLite's `synchronous=NORMAL`
in WAL mode, PostgreSQL's `synchronous_commit = off`): a view is derived from the log and its
rows share each transaction with its position, so a power loss can only take it back to an
earlier position, from which the follower applies the log again; a killed process loses
nothing. The flush per batch was 16% of a rebuild (benchmark row 3), and under load it
competed for the disk with the ledger's own commits.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Generic

import psycopg
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL, Composed

from projections.aside import Row, TablesAside, ViewCursor, ViewDatastore
from projections.projection import Changes


class PositionMovedError(Exception):
    """Another follower recorded a batch since this one began; this batch is void."""

    def __init__(self, application_name: str, expected: int) -> None:
        super().__init__(f"the view's position for {application_name} is no longer {expected}")


class ViewTables(TablesAside, TrackingRecorder, Generic[Changes]):
    """A view's tables and how one batch of its changes is written; subclasses fill it in."""

    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    datastore: ViewDatastore
    writes_alongside = False
    """Whether a replay gains by writing this view's batches in a thread while other views'
    are written (`ViewFollower.replay`): where the store, not this process, does the work."""

    @abstractmethod
    def write_changes(self, cursor: ViewCursor, changes: Changes) -> None:
        """Write one batch of this view's changes."""

    @abstractmethod
    def sql(self, statement: str) -> str:
        """`statement` in this dialect: placeholders and the table prefix filled in."""

    @abstractmethod
    def tracking_table(self) -> str:
        """The library's tracking table, as this dialect names it."""

    def track(self, application_name: str) -> None:
        """Give the view a tracking row at position 0, so every commit has a row to move."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.sql(f"INSERT INTO {self.tracking_table()} VALUES (?, 0) "
                                    "ON CONFLICT (application_name) DO NOTHING"),
                           [application_name])

    def commit(self, changes: Changes, tracking: Tracking, after: int) -> None:
        """Write a batch that followed position `after`, with its last position, in one
        transaction. The tracking row moves only if it still says `after` (the UPDATE locks it
        first): a follower in another process that got there first makes this batch fail whole,
        never apply twice."""
        with self.unflushed_transaction() as cursor:
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = ? "
                                    "WHERE application_name = ? AND notification_id = ? "
                                    "RETURNING notification_id"),
                           [tracking.notification_id, tracking.application_name, after])
            if cursor.fetchone() is None:
                raise PositionMovedError(tracking.application_name, after)
            self.write_changes(cursor, changes)

    @abstractmethod
    def unflushed_transaction(self) -> AbstractContextManager[ViewCursor]:
        """A writing transaction whose commit does not wait for the disk."""

    def select(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.sql(statement), list(params))
            return list(cursor.fetchall())

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def consistent_read(self) -> AbstractContextManager[ViewCursor]:
        """A reading transaction whose statements all see one state of the view (its position
        and its rows together, while a follower writes): SQLite's WAL read transactions do."""
        return self.datastore.transaction(commit=False)

    def drop(self, application_name: str) -> None:
        """Empty the view and forget its position, in one transaction, ready for a replay."""
        with self.datastore.transaction(commit=True) as cursor:
            for table in self.tables:
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{p}}{table}"))
            for statement in self.ddl:
                cursor.execute(self.sql(statement))
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = 0 "
                                    "WHERE application_name = ?"), [application_name])

    def execute_many(self, cursor: ViewCursor, statement: str,
                     rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            cursor.executemany(self.sql(statement), rows)

    def insert_many(self, cursor: ViewCursor, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """Add rows to a view's table (`{p}` prefixed), the quickest way the dialect has."""
        marks = ", ".join("?" for _ in columns)
        self.execute_many(cursor, f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                          rows)


class SQLiteView(ViewTables[Changes], SQLiteTrackingRecorder):
    """SQLite renames a table's automatic key indexes with it: nothing more to rename."""

    datastore: SQLiteDatastore

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [self.sql(s) for s in self.ddl]

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", self.name_prefix)

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
    writes_alongside = True
    """The server inserts what COPY sends, each view on a connection of its own. With the
    views' batches written at once, a PostgreSQL rebuild took 8-10% less time in paired runs
    (benchmark row 3, "Third pass"). SQLite stays one view at a time: its inserts run in
    this process, and two threads binding rows hand the GIL back and forth at every row
    (measured: +16% CPU, no faster)."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(Composed([SQL(self.sql(s))]) for s in self.ddl)

    def sql(self, statement: str) -> str:
        prefix = f'"{self.datastore.schema}".{self.name_prefix}'
        return statement.replace("{p}", prefix).replace("?", "%s")

    @contextmanager
    def consistent_read(self) -> Iterator[ViewCursor]:
        """PostgreSQL's default isolation gives each statement its own snapshot; one for the
        whole transaction needs REPEATABLE READ."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield cursor

    def rename_keys(self, cursor: ViewCursor, prefix: str, table: str) -> None:
        """PostgreSQL names a primary key's index after the table it was made for."""
        cursor.execute(self.sql(f"ALTER INDEX IF EXISTS {{p}}{prefix}{table}_pkey "
                                f"RENAME TO {table}_pkey"))

    def tracking_table(self) -> str:
        return f'"{self.datastore.schema}"."{self.tracking_table_name}"'

    @contextmanager
    def unflushed_transaction(self) -> Iterator[ViewCursor]:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            yield cursor

    def insert_many(self, cursor: ViewCursor, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """COPY rather than INSERTs: psycopg sends an executemany as a statement per row,
        which was 40% of a PostgreSQL rebuild (benchmark row 3)."""
        if not isinstance(cursor, psycopg.Cursor):
            raise TypeError(f"a PostgreSQL view writes with psycopg's cursor, not {cursor!r}")
        with cursor.copy(f"COPY {self.sql(table)} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

