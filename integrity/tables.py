"""Where the sealed log is kept: leaf hashes, tree nodes and signed checkpoints, beside the
library's tracking table, in the store the ledger uses.

On PostgreSQL these are tables in the ledger's own database; on SQLite a file beside the events
(`okr.sqlite3` -> `okr.integrity.sqlite3`), as the views have, so sealing never waits on the
ledger's write lock. Statements are written once with `?` placeholders and a `{p}` prefix and
filled in per dialect.

`integrity_leaves` holds one row per sealed event (its leaf index, its log position, its leaf
hash: level 0 of the tree); `integrity_nodes` every perfect subtree of two or more leaves,
`(level, node_index)`; `integrity_checkpoints` each signed checkpoint; `integrity_signer` the
verifier key the log is signed with. A batch's rows and the sealer's tracking position are one
transaction, and the position moves only by compare-and-set
(eventsourcing 9.5 has no public call that writes tracking inside another transaction, as
`projections.dialects` explains), so a sealer killed anywhere resumes exactly after what it
recorded, and two sealers never both write a batch.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from uuid import uuid4

import psycopg
from eventsourcing.persistence import InfrastructureFactory, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Composed

from integrity.merkle import Node

SQLITE = "eventsourcing.sqlite"
POSTGRES = "eventsourcing.postgres"
STORE_NAME = "integrity"
DDL = (
    "CREATE TABLE IF NOT EXISTS {p}integrity_leaves (leaf_index BIGINT PRIMARY KEY, "
    "position BIGINT NOT NULL UNIQUE, leaf_hash {blob} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}integrity_nodes (level INTEGER NOT NULL, "
    "node_index BIGINT NOT NULL, hash {blob} NOT NULL, PRIMARY KEY (level, node_index))",
    "CREATE TABLE IF NOT EXISTS {p}integrity_checkpoints (tree_size BIGINT PRIMARY KEY, "
    "root_hash {blob} NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}integrity_signer (id INTEGER PRIMARY KEY, "
    "vkey TEXT NOT NULL)",
)


class PositionMovedError(Exception):
    """Another sealer recorded a batch since this one began; this batch is void."""


class Cursor(Protocol):
    def execute(self, statement: str, params: Sequence[Any] = ..., /) -> object: ...

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]], /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...


@dataclass
class SealedBatch:
    """What one transaction records: leaves `(leaf_index, position, hash)`, nodes
    `(level, node_index, hash)`, checkpoints `(tree_size, root, note, created_at)`, and the
    log position sealed up to."""

    position: int
    leaves: list[tuple[int, int, bytes]] = field(default_factory=list)
    nodes: list[tuple[int, int, bytes]] = field(default_factory=list)
    checkpoints: list[tuple[int, bytes, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class StoredCheckpoint:
    tree_size: int
    root_hash: bytes
    note: str
    created_at: str


class SealTables(TrackingRecorder):
    """The integrity tables in one SQL dialect; subclasses fill in the dialect."""

    blob = "BLOB"
    datastore: SQLiteDatastore | PostgresDatastore

    @abstractmethod
    def sql(self, statement: str) -> str: ...

    @abstractmethod
    def tracking_table(self) -> str: ...

    @abstractmethod
    @contextmanager
    def transaction(self, commit: bool) -> Iterator[Cursor]: ...

    def ddl(self) -> list[str]:
        return [self.sql(statement.replace("{blob}", self.blob)) for statement in DDL]

    def track(self, name: str) -> None:
        """Give the sealer a tracking row at position 0, so every commit has a row to move."""
        with self.transaction(commit=True) as cursor:
            cursor.execute(self.sql(f"INSERT INTO {self.tracking_table()} VALUES (?, 0) "
                                    "ON CONFLICT (application_name) DO NOTHING"), [name])

    def claim_signer(self, vkey: str) -> str:
        """The verifier key of the log's checkpoints: the first key any process signed with
        (claimed here, if none has been), so processes with different keys cannot mix them."""
        with self.transaction(commit=True) as cursor:
            cursor.execute(self.sql("INSERT INTO {p}integrity_signer VALUES (1, ?) "
                                    "ON CONFLICT (id) DO NOTHING"), [vkey])
            cursor.execute(self.sql("SELECT vkey FROM {p}integrity_signer WHERE id = 1"))
            return str(cursor.fetchone()["vkey"])

    def sealed(self, name: str) -> tuple[int, int]:
        """The log position sealed up to and the tree size, read together."""
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql(f"SELECT notification_id FROM {self.tracking_table()} "
                                    "WHERE application_name = ?"), [name])
            row = cursor.fetchone()
            cursor.execute(self.sql("SELECT max(leaf_index) AS last FROM {p}integrity_leaves"))
            last = cursor.fetchone()["last"]
        return (int(row["notification_id"]) if row else 0), (-1 if last is None else last) + 1

    def commit(self, batch: SealedBatch, name: str, after: int) -> None:
        """Write `batch`, sealed after log position `after`, and move the position, in one
        transaction; PositionMovedError (and nothing written) if another sealer moved it."""
        with self.transaction(commit=True) as cursor:
            cursor.execute(self.sql(f"UPDATE {self.tracking_table()} SET notification_id = ? "
                                    "WHERE application_name = ? AND notification_id = ? "
                                    "RETURNING notification_id"), [batch.position, name, after])
            if cursor.fetchone() is None:
                raise PositionMovedError(f"the sealer's position is no longer {after}")
            self.insert_rows(cursor, "integrity_leaves", ("leaf_index", "position", "leaf_hash"),
                             batch.leaves)
            self.insert_rows(cursor, "integrity_nodes", ("level", "node_index", "hash"),
                             batch.nodes)
            self.add_checkpoints(cursor, batch.checkpoints)

    def add_checkpoints(self, cursor: Cursor, rows: Sequence[tuple[int, bytes, str, str]]) -> None:
        if rows:
            cursor.executemany(self.sql("INSERT INTO {p}integrity_checkpoints VALUES (?, ?, ?, ?) "
                                        "ON CONFLICT (tree_size) DO NOTHING"), list(rows))

    def record_checkpoint(self, row: tuple[int, bytes, str, str]) -> None:
        with self.transaction(commit=True) as cursor:
            self.add_checkpoints(cursor, [row])

    def insert_rows(self, cursor: Cursor, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(self.sql(f"INSERT INTO {{p}}{table} ({', '.join(columns)}) "
                                        f"VALUES ({marks})"), list(rows))

    def nodes(self, wanted: Iterable[Node]) -> dict[Node, bytes]:
        """The hashes of the stored nodes `wanted` (level 0: leaves), those that exist."""
        wanted = list(wanted)
        found: dict[Node, bytes] = {}
        leaves = [index for level, index in wanted if level == 0]
        inner = [(level, index) for level, index in wanted if level > 0]
        with self.transaction(commit=False) as cursor:
            if leaves:
                cursor.execute(self.sql("SELECT leaf_index, leaf_hash FROM {p}integrity_leaves "
                                        f"WHERE leaf_index IN ({', '.join('?' for _ in leaves)})"),
                               leaves)
                found.update({(0, row["leaf_index"]): bytes(row["leaf_hash"])
                              for row in cursor.fetchall()})
            if inner:
                pairs = ", ".join("(?, ?)" for _ in inner)
                cursor.execute(self.sql("SELECT level, node_index, hash FROM {p}integrity_nodes "
                                        f"WHERE (level, node_index) IN (VALUES {pairs})"),
                               [value for pair in inner for value in pair])
                found.update({(row["level"], row["node_index"]): bytes(row["hash"])
                              for row in cursor.fetchall()})
        return found

    def leaf_at(self, position: int) -> tuple[int, bytes] | None:
        """The leaf index and hash of the event sealed at log `position`, if sealed."""
        rows = self.select("SELECT leaf_index, leaf_hash FROM {p}integrity_leaves "
                           "WHERE position = ?", [position])
        return (rows[0]["leaf_index"], bytes(rows[0]["leaf_hash"])) if rows else None

    def leaves(self, after_index: int, limit: int) -> list[tuple[int, int, bytes]]:
        """Sealed leaves `(leaf_index, position, hash)` after `after_index`, in order."""
        rows = self.select("SELECT leaf_index, position, leaf_hash FROM {p}integrity_leaves "
                           "WHERE leaf_index > ? ORDER BY leaf_index LIMIT ?", [after_index, limit])
        return [(row["leaf_index"], row["position"], bytes(row["leaf_hash"])) for row in rows]

    def checkpoints(self, after: int = 0, limit: int = 100) -> list[StoredCheckpoint]:
        """Signed checkpoints with a tree size above `after`, smallest first."""
        rows = self.select("SELECT * FROM {p}integrity_checkpoints WHERE tree_size > ? "
                           "ORDER BY tree_size LIMIT ?", [after, limit])
        return [_checkpoint(row) for row in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        rows = self.select("SELECT * FROM {p}integrity_checkpoints "
                           "ORDER BY tree_size DESC LIMIT 1")
        return _checkpoint(rows[0]) if rows else None

    def checkpoint_at(self, tree_size: int) -> StoredCheckpoint | None:
        rows = self.select("SELECT * FROM {p}integrity_checkpoints WHERE tree_size = ?",
                           [tree_size])
        return _checkpoint(rows[0]) if rows else None

    def select(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql(statement), list(params))
            return list(cursor.fetchall())

    def close(self) -> None:
        self.datastore.close()


def _checkpoint(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(row["tree_size"], bytes(row["root_hash"]), row["note"],
                            row["created_at"])


class SQLiteSealTables(SealTables, SQLiteTrackingRecorder):
    datastore: SQLiteDatastore

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + self.ddl()

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", "")

    def tracking_table(self) -> str:
        return "tracking"

    @contextmanager
    def transaction(self, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor


class PostgresSealTables(SealTables, PostgresTrackingRecorder):
    datastore: PostgresDatastore
    blob = "BYTEA"

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(Composed([SQL(s)]) for s in self.ddl())

    def sql(self, statement: str) -> str:
        return statement.replace("{p}", f'"{self.datastore.schema}".').replace("?", "%s")

    def tracking_table(self) -> str:
        return f'"{self.datastore.schema}"."{self.tracking_table_name}"'

    @contextmanager
    def transaction(self, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def insert_rows(self, cursor: Cursor, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """COPY rather than INSERTs: psycopg sends an executemany as a statement per row."""
        if not isinstance(cursor, psycopg.Cursor):
            raise TypeError(f"PostgreSQL tables are written with psycopg's cursor, not {cursor!r}")
        with cursor.copy(f"COPY {self.sql('{p}' + table)} ({', '.join(columns)}) "
                         "FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def open_tables(env: dict[str, str]) -> SealTables:
    """The integrity tables of the store `env` names, made if missing (by the library's
    factory, as the views are)."""
    module = env.get("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module == POSTGRES:
        named_env = {**env, "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "4"}
        recorder_class: type[SealTables] = PostgresSealTables
    else:
        named_env = {**env, "PERSISTENCE_MODULE": SQLITE,
                     "SQLITE_DBNAME": _sqlite_file(env.get("SQLITE_DBNAME", "")
                                                   if module == SQLITE else "")}
        recorder_class = SQLiteSealTables
    factory = InfrastructureFactory.construct(Environment(name=STORE_NAME, env=named_env))
    recorder = factory.tracking_recorder(recorder_class)
    if not isinstance(recorder, SealTables):
        raise TypeError(f"the library made a {type(recorder).__name__} for the integrity tables")
    return recorder


def _sqlite_file(events_file: str) -> str:
    if not events_file or ":memory:" in events_file or "mode=memory" in events_file:
        return f"file:okr-integrity-{uuid4().hex}?mode=memory&cache=shared"
    path = Path(events_file)
    return str(path.with_name(f"{path.stem}.{STORE_NAME}{path.suffix or '.sqlite3'}"))
