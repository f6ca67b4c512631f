"""The events the views could not apply: where the follower stopped, and why.

A follower that fails on the same event time after time records it here (its position, the
error, how often it was tried) and stops, rather than retry for ever and fill the log with
tracebacks. The record stays: a dead letter is current while the views have not got past its
position, and history once they have (after the cause was fixed and the server restarted).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from projections.dialects import PostgresView, Row, SQLiteView, ViewCursor, ViewTables
from projections.times import from_micros, to_micros

MAX_ERROR_LENGTH = 2000
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class DeadLetterTables(ViewTables[None]):
    tables = ("view_dead_letters",)
    ddl = ("CREATE TABLE IF NOT EXISTS {p}view_dead_letters (position BIGINT PRIMARY KEY, "
           "error TEXT NOT NULL, attempts INTEGER NOT NULL, recorded_at BIGINT NOT NULL)",)

    def write_changes(self, cursor: ViewCursor, changes: None) -> None:
        """Nothing follows the log into this table: the follower records into it directly."""

    def record(self, position: int, error: str, attempts: int) -> None:
        text = _UNPRINTABLE.sub("?", error)[:MAX_ERROR_LENGTH]
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.sql(
                "INSERT INTO {p}view_dead_letters VALUES (?, ?, ?, ?) ON CONFLICT (position) "
                "DO UPDATE SET error = excluded.error, attempts = excluded.attempts, "
                "recorded_at = excluded.recorded_at"),
                [position, text, attempts, to_micros(datetime.now(UTC))])

    def after(self, position: int) -> list[dict[str, Any]]:
        """The dead letters the views have not got past: those after `position`."""
        rows = self.select("SELECT position, error, attempts, recorded_at FROM "
                           "{p}view_dead_letters WHERE position > ? ORDER BY position",
                           [position])
        return [_letter(row) for row in rows]


def _letter(row: Row) -> dict[str, Any]:
    return {"position": row["position"], "error": row["error"], "attempts": row["attempts"],
            "recorded_at": from_micros(row["recorded_at"])}


class SQLiteDeadLetters(DeadLetterTables, SQLiteView[None]):
    pass


class PostgresDeadLetters(DeadLetterTables, PostgresView[None]):
    pass
