"""Where the ledger keeps its events: SQLite in a data directory by default, or PostgreSQL.

`OKR_DATABASE_URL=postgresql://user:password@host:port/dbname` selects PostgreSQL; otherwise the
events live in `$OKR_DATA_DIR/okr.sqlite3` (default `./var`). The result is the environment the
eventsourcing library reads, so its own persistence modules do the storing.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from domain.errors import ValidationError


def default_data_dir() -> Path:
    return Path(os.environ.get("OKR_DATA_DIR", "./var"))


def persistence_env(data_dir: str | Path | None = None,
                    database_url: str | None = None) -> dict[str, str]:
    """The eventsourcing environment for a data directory or a database URL."""
    url = database_url if database_url is not None else os.environ.get("OKR_DATABASE_URL", "")
    if url:
        return postgres_env(url)
    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return sqlite_env(directory / "okr.sqlite3")


def sqlite_env(path: str | Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(url: str) -> dict[str, str]:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres") or not parsed.path.strip("/"):
        raise ValidationError([("OKR_DATABASE_URL",
                                "must look like postgresql://user:password@host:5432/dbname")])
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parsed.path.lstrip("/")),
        "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parsed.port or 5432),
        "POSTGRES_USER": unquote(parsed.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or ""),
    }
    schema = parse_qs(parsed.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[0]
    return env
