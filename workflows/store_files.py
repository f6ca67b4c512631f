"""A SQLite store's directory: private to its owner, and never made where only read from.

The events, the views and the token key are the organisation's OKRs and the means to act as
anyone in it, so the data directory is made with the configured umask (`OKR_UMASK`, 077: the
directory 700 and every file in it 600) and an existing one that others may read is reported
once per process. A command that only reads refuses a store that is not there, rather than
make an empty one where a path was mistyped.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

import psycopg

from domain.errors import ValidationError

SQLITE_FILE = "okr.sqlite3"
OTHERS_MAY_READ = stat.S_IRWXG | stat.S_IRWXO
logger = logging.getLogger("okr.store")
_reported: set[Path] = set()


def private_directory(directory: Path, umask: int) -> None:
    """Apply `umask` to this process and make `directory` with it (or say it is readable by
    others, if it was there already)."""
    os.umask(umask)
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o777 & ~umask)
        return
    mode = stat.S_IMODE(directory.stat().st_mode)
    resolved = directory.resolve()
    if mode & OTHERS_MAY_READ and resolved not in _reported:
        _reported.add(resolved)
        logger.warning("the data directory %s is readable by others (mode %03o); it holds "
                       "every OKR and the token signing key: chmod 700 it", directory, mode)


def require_sqlite_store(directory: Path) -> None:
    if not (directory / SQLITE_FILE).is_file():
        raise ValidationError([("--data-dir (or OKR_DATA_DIR)", (
            f"{directory} holds no ledger ({SQLITE_FILE} is missing): nothing to read there; "
            "give the directory `okr serve` uses"))])


def require_postgres_store(env: dict[str, str]) -> None:
    """The ledger's events table exists in the database `env` names."""
    table = f'{env.get("POSTGRES_SCHEMA", "public")}.okrledger_events'
    try:
        with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]),
                             user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"],
                             dbname=env["POSTGRES_DBNAME"], connect_timeout=10) as connection:
            found = connection.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    except psycopg.Error as error:
        raise ValidationError([("--database-url (or OKR_DATABASE_URL)",
                                f"cannot be read: {type(error).__name__}")]) from None
    if found is None or found[0] is None:
        raise ValidationError([("--database-url (or OKR_DATABASE_URL)", (
            f"names a database with no ledger ({table} is missing): nothing to read there"))])


def write_key_file_once(path: Path, content: bytes, prefix: str) -> None:
    """Write a key file that no reader ever sees half-written, and that two processes making
    it at once agree on: `content` goes to a temporary file (mkstemp: readable by its owner
    only), is synced, and is then hard-linked to `path`, which fails rather than replace a
    file another process linked first; that one stands, and this one's is dropped.
    (`os.replace` would make both processes' keys visible in turn, one of them briefly.)"""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(descriptor, "wb") as key_file:
            key_file.write(content)
            key_file.flush()
            os.fsync(key_file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process linked its key first: that one stands
    finally:
        os.unlink(temporary)
