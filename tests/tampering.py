"""Damage done the way an intruder or a careless administrator would: SQL straight into the
store, around the ledger. The tests of tamper evidence use these to show that nothing the
database allows goes unnoticed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg

from workflows.settings import POSTGRES_RULE


def execute(env: dict[str, str], sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run `sql` on the store `env` names, committed; `{events}` names the events table and
    `{position}` its log position column, `{moments}` the moment index. Placeholders are `%s`
    on both stores."""
    if env["PERSISTENCE_MODULE"].endswith("sqlite"):
        statement = sql.format(events="stored_events", position="rowid",
                               moments="stored_moments", snapshots="stored_snapshots").replace("%s", "?")
        with sqlite3.connect(env["SQLITE_DBNAME"]) as connection:
            return connection.execute(statement, tuple(params)).fetchall()
    if not env["PERSISTENCE_MODULE"].endswith("postgres"):
        raise ValueError(POSTGRES_RULE)
    statement = sql.format(events="okrledger_events", position="notification_id",
                           moments="okrledger_moments", snapshots="okrledger_snapshots")
    with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]),
                         user=env["POSTGRES_USER"], dbname=env["POSTGRES_DBNAME"],
                         autocommit=True) as connection:
        cursor = connection.execute(statement, tuple(params))
        return cursor.fetchall() if cursor.description else []


def delete_version(env: dict[str, str], aggregate_id: str, version: int) -> int:
    """Delete one stored event of an aggregate; the log position it had."""
    rows = execute(env, "DELETE FROM {events} WHERE originator_id = %s AND originator_version = %s"
                        " RETURNING {position}", (stored_id(env, aggregate_id), version))
    assert len(rows) == 1, f"no event {aggregate_id} v{version} stored"
    return int(rows[0][0])


def erase_version(env: dict[str, str], aggregate_id: str, version: int) -> int:
    """Delete one stored event and its row in the moment index, leaving no trace in the
    ledger's own tables; the log position the event had."""
    execute(env, "DELETE FROM {moments} WHERE originator_id = %s AND originator_version = %s",
            (stored_id(env, aggregate_id), version))
    return delete_version(env, aggregate_id, version)


def stored_id(env: dict[str, str], aggregate_id: str) -> Any:
    """The aggregate id as the store keeps it (SQLite: hex text; PostgreSQL: a uuid)."""
    uuid = UUID(aggregate_id)
    return uuid.hex if env["PERSISTENCE_MODULE"].endswith("sqlite") else uuid
