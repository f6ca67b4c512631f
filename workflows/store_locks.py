"""Locks held in the event store's own database, named for what their holder runs.

Several processes may share one store; for each piece of work only one should do at a time
(the background parts, each relay shard), whoever holds its lock does it and the others stand
by (`workflows.leases`). Both kinds of lock are released by the operating system or the
database server when their holder dies, however abruptly (`kill -9` included), so a standby
takes over without anyone cleaning up.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from pathlib import Path
from typing import Protocol

import psycopg
from psycopg.conninfo import make_conninfo

LIVENESS_CHECK_SECONDS = 1.0
CLIENT_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                     "keepalives_count": 3}
SERVER_KEEPALIVES = ("SET tcp_keepalives_idle = 5", "SET tcp_keepalives_interval = 2",
                     "SET tcp_keepalives_count = 3")


class StoreLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if it is free; never blocks."""

    def still_held(self) -> bool:
        """Whether the lock taken earlier is still ours."""

    def release(self) -> None: ...


class FileLock:
    """SQLite: an fcntl.flock on a file beside the database (the kernel drops it on exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class AdvisoryLock:
    """PostgreSQL: a session advisory lock held on a dedicated connection.

    The server frees the lock when that connection ends, so the holder checks now and then that
    its connection is alive; if it is not, the lock may already be someone else's. Keepalives on
    both ends bound how long a vanished host (no FIN, no RST) keeps the lock or believes it does.
    """

    def __init__(self, conninfo: dict[str, str], key: int) -> None:
        self.conninfo, self.key = conninfo, key
        self._conn: psycopg.Connection | None = None
        self._held = False
        self._checked_at = 0.0

    def acquire(self) -> bool:
        try:
            row = self._connection().execute("SELECT pg_try_advisory_lock(%s)",
                                             (self.key,)).fetchone()
        except psycopg.Error:
            self.release()
            raise
        self._held, self._checked_at = bool(row and row[0]), time.monotonic()
        return self._held

    def still_held(self) -> bool:
        if not self._held or self._conn is None:
            return False
        if time.monotonic() - self._checked_at < LIVENESS_CHECK_SECONDS:
            return True
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            self.release()
            return False
        self._checked_at = time.monotonic()
        return True

    def release(self) -> None:
        """Unlock, then close the connection (the server frees the lock with it regardless).

        Closing alone frees it only once the server process behind the connection has ended,
        a moment later; unlocking first hands over to a standby at once.
        """
        held, self._held = self._held, False
        if self._conn is None:
            return
        try:
            if held and not self._conn.broken:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except psycopg.Error:
            pass
        finally:
            self._conn.close()
            self._conn = None

    def _connection(self) -> psycopg.Connection:
        """The dedicated connection, kept open between attempts while waiting in standby."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(make_conninfo("", **self.conninfo, **CLIENT_KEEPALIVES),
                                         autocommit=True, connect_timeout=5)
            for setting in SERVER_KEEPALIVES:
                self._conn.execute(setting)
        return self._conn


def store_lock(env: dict[str, str], name: str) -> StoreLock:
    """The lock called `name` in the store `env` names: a PostgreSQL advisory lock keyed by
    the name's hash, or a file beside the SQLite database (`okr.sqlite3.<name>.lock`)."""
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        return AdvisoryLock(_conninfo(env), _lock_key(name))
    database = Path(env["SQLITE_DBNAME"])
    return FileLock(database.with_name(f"{database.name}.{_safe(name)}.lock"))


def _conninfo(env: dict[str, str]) -> dict[str, str]:
    return {"host": env["POSTGRES_HOST"], "port": env["POSTGRES_PORT"],
            "user": env["POSTGRES_USER"], "password": env.get("POSTGRES_PASSWORD", ""),
            "dbname": env["POSTGRES_DBNAME"]}


def _lock_key(name: str) -> int:
    digest = hashlib.sha256(f"okr-ledger:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
