"""The decision log's table and its one query: filtered, in log order, a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.errors import ValidationError
from projections.decisions import DECISION_ACTIONS, Rows
from projections.dialects import PostgresView, Row, SQLiteView, ViewCursor, ViewTables
from projections.times import from_micros, to_micros

COLUMNS = ("position", "seq", "objective_id", "objective_title", "cycle_id", "action", "actor",
           "role", "time", "command_id", "reason", "details")


@dataclass(frozen=True)
class DecisionFilter:
    cycle_id: str | None = None
    objective_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.action is not None and self.action not in DECISION_ACTIONS:
            raise ValidationError([("action", f"must be one of {', '.join(DECISION_ACTIONS)}; "
                                              f"got {self.action!r}")])

    def clauses(self) -> list[tuple[str, Any]]:
        """`since` inclusive, `until` exclusive, as everywhere in the audit."""
        return [(clause, value) for clause, value in (
            ("cycle_id = ?", self.cycle_id), ("objective_id = ?", self.objective_id),
            ("actor = ?", self.actor), ("action = ?", self.action),
            ("time >= ?", None if self.since is None else to_micros(self.since)),
            ("time < ?", None if self.until is None else to_micros(self.until)))
            if value is not None]


class DecisionTables(ViewTables[Rows]):
    tables = ("audit_decisions",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS {p}audit_decisions (position BIGINT NOT NULL, "
        "seq INTEGER NOT NULL, objective_id TEXT NOT NULL, objective_title TEXT NOT NULL, "
        "cycle_id TEXT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, "
        "time BIGINT NOT NULL, command_id TEXT, reason TEXT NOT NULL, details TEXT NOT NULL, "
        "PRIMARY KEY (position, seq))",
        "CREATE INDEX IF NOT EXISTS decisions_by_cycle ON {p}audit_decisions (cycle_id, position)",
        "CREATE INDEX IF NOT EXISTS decisions_by_objective ON {p}audit_decisions "
        "(objective_id, position)",
        "CREATE INDEX IF NOT EXISTS decisions_by_actor ON {p}audit_decisions (actor, position)",
        "CREATE INDEX IF NOT EXISTS decisions_by_action ON {p}audit_decisions (action, position)",
    )

    def write_changes(self, cursor: ViewCursor, changes: Rows) -> None:
        marks = ", ".join("?" for _ in COLUMNS)
        self.execute_many(cursor, f"INSERT INTO {{p}}audit_decisions ({', '.join(COLUMNS)}) "
                                  f"VALUES ({marks})", changes)

    def decisions(self, where: DecisionFilter, *, after: int = 0,
                  limit: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
        """Entries after log position `after`, oldest first, and the position to read on
        after (None on the last page). A page holds at most `limit` entries, except that the
        entries one event made (a cancellation and the adjustment it withdrew) stay together."""
        clauses = [("position > ?", after), *where.clauses()]
        sql = (f"SELECT {', '.join(COLUMNS)} FROM {{p}}audit_decisions WHERE "
               + " AND ".join(clause for clause, _ in clauses) + " ORDER BY position, seq")
        params = [value for _, value in clauses]
        if limit is not None:
            sql, params = sql + " LIMIT ?", [*params, limit + 2]
        rows = self.select(sql, params)
        shown, next_after = _page(rows, limit)
        return [_entry(row) for row in shown], next_after


def _page(rows: list[Row], limit: int | None) -> tuple[list[Row], int | None]:
    """The first `limit` rows, widened or narrowed to end at a whole event."""
    if limit is None or len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]["position"]
    whole = [row for row in rows[:limit] if row["position"] != last or
             rows[limit]["position"] != last]
    if not whole:
        whole = [row for row in rows if row["position"] == last]
    return whole, None if len(whole) == len(rows) else whole[-1]["position"]


def _entry(row: Row) -> dict[str, Any]:
    entry = {name: row[name] for name in COLUMNS if name not in ("seq", "details")}
    entry["time"] = from_micros(row["time"])
    entry.update(json.loads(row["details"]))
    return entry


class SQLiteDecisionView(DecisionTables, SQLiteView[Rows]):
    pass


class PostgresDecisionView(DecisionTables, PostgresView[Rows]):
    pass
