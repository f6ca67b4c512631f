"""The check-in series of each KR: what a burn-up chart needs."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from eventsourcing.domain import Aggregate

from domain.objective import Objective
from projections.dialects import PostgresView, Row, SQLiteView, ViewCursor, ViewTables
from projections.projection import Event, EventProjection, event_class
from projections.times import from_micros, moment, to_micros
from workflows.pages import Page, fetch_size, page_of

COLUMNS = ("position", "objective_id", "key_result_id", "cycle_id", "time", "value", "done",
           "progress", "confidence", "actor", "note")


CheckIns = list[tuple[Any, ...]]


class CheckInProjection(EventProjection[CheckIns]):
    """The event says what was reported; the KR after it adds the progress that follows."""

    def new_changes(self) -> CheckIns:
        return []

    @singledispatchmethod
    def process(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        """Every other event: not a check-in, the position still moves on."""

    @process.register(event_class(Objective, "CheckedIn"))
    def _checked_in(self, event: Any, objective: Objective, position: int) -> None:
        kr = objective.key_results[event.key_result_id]
        self.changes.append((position, str(objective.id), kr.id, objective.cycle_id,
                             to_micros(event.timestamp), event.value, event.done, kr.progress,
                             event.confidence, event.actor, event.note))


class CheckInTables(ViewTables[CheckIns]):
    tables = ("check_in_series",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS {p}check_in_series (position BIGINT PRIMARY KEY, "
        "objective_id TEXT NOT NULL, key_result_id TEXT NOT NULL, cycle_id TEXT NOT NULL, "
        "time BIGINT NOT NULL, value DOUBLE PRECISION, done BOOLEAN, "
        "progress DOUBLE PRECISION NOT NULL, confidence DOUBLE PRECISION, actor TEXT NOT NULL, "
        "note TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS check_ins_by_kr ON {p}check_in_series "
        "(objective_id, key_result_id, position)",
        "CREATE INDEX IF NOT EXISTS check_ins_by_cycle ON {p}check_in_series "
        "(cycle_id, objective_id, time)",
    )

    def write_changes(self, cursor: ViewCursor, changes: CheckIns) -> None:
        self.insert_many(cursor, "{p}check_in_series", COLUMNS, changes)

    def series(self, objective_id: str, key_result_id: str, *, after: int = 0,
               limit: int | None = None) -> Page[dict[str, Any]]:
        """The KR's check-ins in log order, a page at a time after log position `after`."""
        size = fetch_size(limit)
        rows = self.select("SELECT position, time, value, done, progress, confidence, actor, "
                           "note FROM {p}check_in_series WHERE objective_id = ? "
                           "AND key_result_id = ? AND position > ? ORDER BY position"
                           + ("" if size is None else f" LIMIT {size}"),
                           [objective_id, key_result_id, after])
        return page_of(rows, limit, lambda row: (row["position"],), _point)

    def last_check_ins(self, cycle_id: str) -> dict[str, datetime]:
        """Each objective of the cycle with a check-in, and when its latest one was."""
        rows = self.select("SELECT objective_id, MAX(time) AS last FROM {p}check_in_series "
                           "WHERE cycle_id = ? GROUP BY objective_id", [cycle_id])
        return {row["objective_id"]: moment(row["last"]) for row in rows}


def _point(row: Row) -> dict[str, Any]:
    return {"time": from_micros(row["time"]), "value": row["value"],
            "done": None if row["done"] is None else bool(row["done"]),
            "progress": row["progress"], "confidence": row["confidence"],
            "actor": row["actor"], "note": row["note"], "position": row["position"]}


class SQLiteCheckInView(CheckInTables, SQLiteView[CheckIns]):
    pass


class PostgresCheckInView(CheckInTables, PostgresView[CheckIns]):
    pass
