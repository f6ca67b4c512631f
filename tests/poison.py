"""A stored event no view can apply, made the way damage happens: by writing the store directly.

Used to show that one bad event never empties the views (a rebuild builds aside) nor stalls
them for ever (the follower dead-letters it and stops with a clear state).
"""

from __future__ import annotations

import sqlite3

import psycopg

from workflows.settings import POSTGRES_RULE


def spoil_event(env: dict[str, str], position: int) -> None:
    """Overwrite the stored state of the event at log `position` with bytes no mapper reads."""
    if env["PERSISTENCE_MODULE"].endswith("sqlite"):
        with sqlite3.connect(env["SQLITE_DBNAME"]) as connection:
            connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?",
                               (b"\xff not json", position))
        return
    if not env["PERSISTENCE_MODULE"].endswith("postgres"):
        raise ValueError(POSTGRES_RULE)
    with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]),
                         user=env["POSTGRES_USER"], dbname=env["POSTGRES_DBNAME"],
                         autocommit=True) as connection:
        connection.execute("UPDATE okrledger_events SET state = %s WHERE notification_id = %s",
                           (b"\xff not json", position))
