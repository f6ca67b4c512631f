"""What every view's tables share: their DDL, one batch written with the view's position in
one transaction, reads, and dropping for a replay.

The one thing written by hand is the tracking row in `commit`. A view's rows and its position
must be one transaction, and eventsourcing 9.5 has no public call for that: `insert_tracking`
opens a transaction of its own (on PostgreSQL another pooled connection), and the library's own
recorders do it with the private `_insert_tracking`. So `commit` moves the library's row itself,
with one compare-and-set UPDATE that is also the guard against a follower in another process.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Generic, Protocol

from eventsourcing.persistence import Tracking, TrackingRecorder

from projections.projection import Changes

Row = Mapping[str, Any]


class PositionMovedError(Exception):
    """Another follower recorded a batch since this one began; this batch is void."""

    def __init__(self, application_name: str, expected: int) -> None:
        super().__init__(f"the view's position for {application_name} is no longer {expected}")


class ViewCursor(Protocol):
    """What views use of a cursor; the library's SQLite cursor and psycopg's both have it."""

    def execute(self, statement: str, params: Sequence[Any] = ..., /) -> object: ...

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]], /) -> object: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> Sequence[Row]: ...


class ViewDatastore(Protocol):
    def transaction(self, *, commit: bool) -> AbstractContextManager[ViewCursor]: ...

    def close(self) -> None: ...


class ViewTables(TrackingRecorder, Generic[Changes]):
    """A view's tables and how one batch of its changes is written; subclasses fill it in."""

    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()
    datastore: ViewDatastore

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
        """A writing transaction that commits without waiting for the disk."""

    def select(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.sql(statement), list(params))
            return list(cursor.fetchall())

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def drop(self, application_name: str) -> None:
        """Empty the view and forget its position, in one transaction, ready for a replay.

        The tables come back without their secondary indexes: filling a table and indexing it
        once is far quicker than updating every index row by row (a third of a rebuild,
        benchmark row 3). `index()` makes them when the replay is done; until then reads work,
        by scanning. (Opening the view makes any that are missing, should a replay stop.)"""
        with self.datastore.transaction(commit=True) as cursor:
            for table in self.tables:
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{p}}{table}"))
            for statement in self.ddl:
                if not is_index(statement):
                    cursor.execute(self.sql(statement))
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = 0 "
                                    "WHERE application_name = ?"), [application_name])

    def index(self) -> None:
        """Make the secondary indexes `drop` left out."""
        with self.datastore.transaction(commit=True) as cursor:
            for statement in filter(is_index, self.ddl):
                cursor.execute(self.sql(statement))

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


def is_index(statement: str) -> bool:
    return statement.lstrip().upper().startswith("CREATE INDEX")
