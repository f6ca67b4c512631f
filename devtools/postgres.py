"""Fresh PostgreSQL databases on the machine's server, made for one run and dropped after it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

START_HINT = "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


@dataclass(frozen=True)
class PostgresServer:
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    admin_db: str = "test"

    @classmethod
    def from_env(cls, prefix: str) -> PostgresServer:
        """Read `<prefix>_HOST`, `_PORT`, `_USER` and `_DB`, else the machine's defaults."""
        defaults = cls()
        return cls(host=os.environ.get(f"{prefix}_HOST", defaults.host),
                   port=int(os.environ.get(f"{prefix}_PORT", defaults.port)),
                   user=os.environ.get(f"{prefix}_USER", defaults.user),
                   admin_db=os.environ.get(f"{prefix}_DB", defaults.admin_db))

    @contextmanager
    def database(self, name_prefix: str) -> Iterator[str]:
        """Create a uniquely named database, yield its URL, drop it afterwards."""
        name = f"{name_prefix}_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql://{self.user}@{self.host}:{self.port}/{name}"
        finally:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self) -> psycopg.Connection:
        try:
            return psycopg.connect(host=self.host, port=self.port, user=self.user,
                                   dbname=self.admin_db, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as error:
            raise RuntimeError(f"PostgreSQL is not reachable at {self.host}:{self.port} as "
                               f"{self.user}: {error}. {START_HINT}") from error
