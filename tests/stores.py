"""Real stores for tests: a fresh SQLite file or a fresh PostgreSQL database per test.

PostgreSQL is the server every machine here runs on 127.0.0.1:5432 (trust auth, user
postgres). A test that cannot reach it fails with a message saying so; it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

PG_HOST = os.environ.get("OKR_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("OKR_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("OKR_TEST_PG_USER", "postgres")
PG_ADMIN_DB = os.environ.get("OKR_TEST_PG_DB", "test")


def _admin_connection() -> psycopg.Connection:
    try:
        return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB,
                               autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as {PG_USER}: {error}. Start it "
            "with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        ) from error


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a uniquely named database, yield its URL, drop it afterwards."""
    name = f"okr_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
