"""Fresh, empty stores for benchmark runs: a SQLite file, or a PostgreSQL database of its own.

Databases come from devtools/postgres.py, shared with the tests. Each call to `fresh()` makes a
new store and removes it afterwards, so no run reads another run's events.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from devtools.postgres import PostgresServer
from workflows.settings import persistence_env

SERVER = PostgresServer.from_env("OKR_BENCH_PG")


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
            with SERVER.database("okr_bench") as url:
                yield persistence_env(database_url=url)
        else:
            raise ValueError(f"unknown store {self.kind!r}; allowed: sqlite, postgres")

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"SQLite file in {tempfile.gettempdir()}"
        return f"PostgreSQL at {SERVER.host}:{SERVER.port}"
