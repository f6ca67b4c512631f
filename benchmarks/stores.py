"""Fresh, empty stores for benchmark runs: a SQLite file, or a PostgreSQL database of its own.

tests/stores.py does the same for tests; the benchmarks keep their own copy so that running
them never depends on the test package. Each call to `fresh()` makes a new store and removes it
afterwards, so no run reads another run's events.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from workflows.settings import persistence_env

PG_HOST = os.environ.get("OKR_BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("OKR_BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("OKR_BENCH_PG_USER", "postgres")
PG_ADMIN_DB = os.environ.get("OKR_BENCH_PG_DB", "test")


@dataclass(frozen=True)
class Store:
    kind: str

    @contextmanager
    def fresh(self) -> Iterator[dict[str, str]]:
        """The eventsourcing environment of a new, empty store of this kind."""
        if self.kind == "sqlite":
            with tempfile.TemporaryDirectory(prefix="okr-bench-") as directory:
                yield persistence_env(data_dir=directory, database_url="")
        elif self.kind == "postgres":
            with _postgres_database() as url:
                yield persistence_env(database_url=url)
        else:
            raise ValueError(f"unknown store {self.kind!r}; allowed: sqlite, postgres")

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"SQLite file in {tempfile.gettempdir()}"
        return f"PostgreSQL at {PG_HOST}:{PG_PORT}"


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB,
                               autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise RuntimeError(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as {PG_USER}: "
                           f"{error}; run .ci/run's start step, or pass --stores sqlite") from error


@contextmanager
def _postgres_database() -> Iterator[str]:
    name = f"okr_bench_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
