"""Durable Idempotency-Key records, in the ledger's own database (SQLite or PostgreSQL).

A record is reserved before the command runs and completed with the response afterwards, so a
retry racing the first attempt is told to wait instead of running the command twice. The table
lives beside the events and goes through the recorder's own connection pool; the library has no
idempotency store of its own, hence this small one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

TABLE = "okr_idempotency_keys"
CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (idem_key TEXT PRIMARY KEY, request_hash TEXT NOT "
          "NULL, status INTEGER, headers TEXT, body TEXT)")


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    status: int | None
    headers: dict[str, str]
    body: bytes


class IdempotencyStore:
    def __init__(self, datastore: Any, placeholder: str) -> None:
        self.datastore = datastore
        self.p = placeholder
        self._run(CREATE, ())

    @classmethod
    def beside(cls, recorder: Any) -> IdempotencyStore:
        """A store in the same database as the recorder's events."""
        is_sqlite = type(recorder.datastore).__name__.startswith("SQLite")
        return cls(recorder.datastore, "?" if is_sqlite else "%s")

    def reserve(self, key: str, request_hash: str) -> StoredResponse | None:
        """Claim `key` for this request; or return what an earlier request under it holds."""
        p = self.p
        inserted = self._run(f"INSERT INTO {TABLE} (idem_key, request_hash) VALUES ({p}, {p}) "
                             "ON CONFLICT (idem_key) DO NOTHING", (key, request_hash))
        if inserted:
            return None
        rows = self._run(f"SELECT request_hash, status, headers, body FROM {TABLE} "
                         f"WHERE idem_key = {p}", (key,), fetch=True)
        if not rows:
            return self.reserve(key, request_hash)
        row = rows[0]
        return StoredResponse(row["request_hash"], row["status"],
                              json.loads(row["headers"] or "{}"), (row["body"] or "").encode())

    def complete(self, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        p = self.p
        self._run(f"UPDATE {TABLE} SET status = {p}, headers = {p}, body = {p} "
                  f"WHERE idem_key = {p}",
                  (status, json.dumps(headers), body.decode(), key))

    def release(self, key: str) -> None:
        """Forget a reservation whose request failed on the server, so a retry may run."""
        self._run(f"DELETE FROM {TABLE} WHERE idem_key = {self.p} AND status IS NULL", (key,))

    def _run(self, sql: str, params: tuple[Any, ...], fetch: bool = False) -> Any:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql, params)
            if fetch:
                return cursor.fetchall()
            return cursor.rowcount if hasattr(cursor, "rowcount") else _rowcount(cursor)


def _rowcount(cursor: Any) -> int:
    return cursor.sqlite_cursor.rowcount
