"""Real stores for tests: a fresh PostgreSQL database per test (SQLite files come from tmp_path).

PostgreSQL is the server every machine here runs on 127.0.0.1:5432 (trust auth, user
postgres); `OKR_TEST_PG_HOST`, `_PORT`, `_USER`, `_DB` point elsewhere. A test that cannot
reach it fails with a message saying so; it is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from devtools.postgres import PostgresServer

SERVER = PostgresServer.from_env("OKR_TEST_PG")


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a uniquely named database, yield its URL, drop it afterwards."""
    with SERVER.database("okr_test") as url:
        yield url
