"""Tables aside: a view's tables built beside the live ones, then swapped in whole.

A rebuild replays the log into tables named with a prefix, in the same database as the live
ones, under a tracking name of its own (`projections.rebuilding`); swapping drops the live
tables and renames the new ones in one transaction, so readers see the old view or the new
one, never an empty one. Indexes are made at the swap (a replay reads only by primary key).
"""

from __future__ import annotations

import copy
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, Self

Row = Mapping[str, Any]


class ViewCursor(Protocol):
    """What views use of a cursor; the library's SQLite cursor and psycopg's both have it."""

    def execute(self, statement: str, params: Sequence[Any] = ..., /) -> object: ...

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]], /) -> object: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> Sequence[Row]: ...


class ViewDatastore(Protocol):
    def transaction(self, *, commit: bool) -> AbstractContextManager[ViewCursor]: ...

    def close(self) -> None: ...


class TablesAside:
    """What a view's recorder needs to be built aside and swapped in (`ViewTables` has it)."""

    tables: tuple[str, ...]
    ddl: tuple[str, ...]
    datastore: ViewDatastore
    name_prefix = ""
    """Put before every table name in `{p}`: empty for the live tables, else tables aside."""

    @abstractmethod
    def sql(self, statement: str) -> str:
        """`statement` in this dialect: placeholders and the table prefix filled in."""

    @abstractmethod
    def tracking_table(self) -> str:
        """The library's tracking table, as this dialect names it."""

    @abstractmethod
    def track(self, application_name: str) -> None:
        """Give the view a tracking row at position 0."""

    def aside(self, prefix: str, tracking_name: str) -> Self:
        """The same view over empty tables named with `prefix`, beside the live ones in the same
        database, followed under `tracking_name`: where a rebuild builds before it swaps.
        Without their indexes until swapped in: the primary keys are all a rebuild reads by."""
        shadow = copy.copy(self)
        shadow.name_prefix = prefix
        shadow.discard(tracking_name)
        with self.datastore.transaction(commit=True) as cursor:
            for statement in self.ddl:
                if statement.startswith("CREATE TABLE"):
                    cursor.execute(shadow.sql(statement))
        shadow.track(tracking_name)
        return shadow

    def swap_in(self, shadow: Self, application_name: str,
                tracking_name: str) -> int:
        """Replace the live tables by `shadow`'s, indexes and position with them, in one
        transaction: readers see the old view or the new one, never an empty one. A follower
        that wrote meanwhile finds its position moved and drops its batch."""
        with self.datastore.transaction(commit=True) as cursor:
            position = _position(cursor, self.tracking_table(), tracking_name, self.sql)
            for table in self.tables:
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{p}}{table}"))
                cursor.execute(shadow.sql(f"ALTER TABLE {{p}}{table} RENAME TO {table}"))
                self.rename_keys(cursor, shadow.name_prefix, table)
            for statement in self.ddl:
                cursor.execute(self.sql(statement))
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = ? "
                                    "WHERE application_name = ?"), [position, application_name])
            cursor.execute(self.sql(f"DELETE FROM {self.tracking_table()} "
                                    "WHERE application_name = ?"), [tracking_name])
        return position

    def discard(self, tracking_name: str) -> None:
        """Drop these tables and forget `tracking_name`'s position (tables aside, once done)."""
        with self.datastore.transaction(commit=True) as cursor:
            for table in self.tables:
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{p}}{table}"))
            cursor.execute(self.sql(f"DELETE FROM {self.tracking_table()} "
                                    "WHERE application_name = ?"), [tracking_name])

    def rename_keys(self, cursor: ViewCursor, prefix: str, table: str) -> None:
        """After a table aside took the live name: give its keys the live names too."""



def _position(cursor: ViewCursor, tracking_table: str, name: str,
              sql: Any) -> int:
    cursor.execute(sql(f"SELECT notification_id FROM {tracking_table} "
                       "WHERE application_name = ?"), [name])
    row = cursor.fetchone()
    return int(row["notification_id"]) if row else 0
