"""The check-in series of each KR: what a burn-up chart needs.

Each point is a check-in with its id. A corrected check-in stays in the series at its place,
showing the corrected value (and the progress it makes), marked `corrected`, with what was
first reported under `original` and every correction (who, when, why) under `corrections`.
Ids and corrections are tables of their own beside the series, so a store whose series was
built before them keeps its rows (rebuild the view to give older check-ins their ids).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from eventsourcing.domain import Aggregate

from domain.key_result import KeyResult
from domain.objective import Objective
from domain.scoring import rounded_progress
from projections.dialects import PostgresView, Row, SQLiteView, ViewCursor, ViewTables
from projections.projection import Event, EventProjection, event_class
from projections.times import from_micros, moment, to_micros
from workflows.id_text import id_text
from workflows.pages import Page, fetch_size, page_of

COLUMNS = ("position", "objective_id", "key_result_id", "cycle_id", "time", "value", "done",
           "progress", "confidence", "actor", "note")
CORRECTION_COLUMNS = ("position", "objective_id", "key_result_id", "check_in_id", "value",
                      "done", "progress", "confidence", "note", "actor", "time", "reason")
Rows = list[tuple[Any, ...]]


@dataclass
class CheckIns:
    points: Rows = field(default_factory=list)
    ids: Rows = field(default_factory=list)
    corrections: Rows = field(default_factory=list)


class CheckInProjection(EventProjection[CheckIns]):
    """The event says what was reported; the KR after it adds the progress that follows."""

    def new_changes(self) -> CheckIns:
        return CheckIns()

    @singledispatchmethod
    def process(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        """Every other event: not a check-in, the position still moves on."""

    @process.register(event_class(Objective, "CheckedIn"))
    def _checked_in(self, event: Any, objective: Objective, position: int) -> None:
        kr = objective.key_results[event.key_result_id]
        self.changes.points.append((position, id_text(objective.id), kr.id, objective.cycle_id,
                                    to_micros(event.timestamp), event.value, event.done,
                                    kr.progress, event.confidence, event.actor, event.note))
        self.changes.ids.append((position, event.check_in_id))

    @process.register(event_class(Objective, "CheckInCorrected"))
    def _corrected(self, event: Any, objective: Objective, position: int) -> None:
        kr = objective.key_results[event.key_result_id]
        self.changes.corrections.append((
            position, str(objective.id), kr.id, event.check_in_id, event.value, event.done,
            point_progress(kr, event.value, event.done), event.confidence, event.note,
            event.actor, to_micros(event.timestamp), event.reason))


def point_progress(kr: KeyResult, value: float | None, done: bool | None) -> float:
    """The progress a check-in's value makes on its KR as the KR now stands (a threshold
    KR's is its share of check-ins met, corrections included)."""
    if kr.kind == "metric" and value is not None:
        return replace(kr, current=value).progress
    if kr.kind == "milestone" and done is not None:
        return 1.0 if done else 0.0
    return kr.progress


class CheckInTables(ViewTables[CheckIns]):
    tables = ("check_in_series", "check_in_ids", "check_in_corrections")
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
        "CREATE TABLE IF NOT EXISTS {p}check_in_ids (position BIGINT PRIMARY KEY, "
        "check_in_id TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {p}check_in_corrections (position BIGINT PRIMARY KEY, "
        "objective_id TEXT NOT NULL, key_result_id TEXT NOT NULL, check_in_id TEXT NOT NULL, "
        "value DOUBLE PRECISION, done BOOLEAN, progress DOUBLE PRECISION NOT NULL, "
        "confidence DOUBLE PRECISION, note TEXT NOT NULL, actor TEXT NOT NULL, "
        "time BIGINT NOT NULL, reason TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS check_in_corrections_by_kr ON {p}check_in_corrections "
        "(objective_id, key_result_id, position)",
    )

    def write_changes(self, cursor: ViewCursor, changes: CheckIns) -> None:
        self.insert_many(cursor, "{p}check_in_series", COLUMNS, changes.points)
        self.insert_many(cursor, "{p}check_in_ids", ("position", "check_in_id"), changes.ids)
        self.insert_many(cursor, "{p}check_in_corrections", CORRECTION_COLUMNS,
                         changes.corrections)

    def series(self, objective_id: str, key_result_id: str, *, after: int = 0,
               limit: int | None = None) -> Page[dict[str, Any]]:
        """The KR's check-ins in log order, a page at a time after log position `after`."""
        size = fetch_size(limit)
        rows = self.select("SELECT s.position, time, value, done, progress, confidence, actor, "
                           "note, check_in_id FROM {p}check_in_series s LEFT JOIN "
                           "{p}check_in_ids i ON i.position = s.position WHERE objective_id = ? "
                           "AND key_result_id = ? AND s.position > ? ORDER BY s.position"
                           + ("" if size is None else f" LIMIT {size}"),
                           [objective_id, key_result_id, after])
        corrections = self._corrections(objective_id, key_result_id)
        return page_of(rows, limit, lambda row: (row["position"],),
                       lambda row: _point(row, corrections.get(row["check_in_id"], [])))

    def _corrections(self, objective_id: str,
                     key_result_id: str) -> dict[str, list[dict[str, Any]]]:
        """The KR's corrections by check-in, oldest first (few: one KR's, read whole)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for row in self.select(f"SELECT {', '.join(CORRECTION_COLUMNS)} FROM "
                               "{p}check_in_corrections WHERE objective_id = ? AND "
                               "key_result_id = ? ORDER BY position",
                               [objective_id, key_result_id]):
            found.setdefault(row["check_in_id"], []).append(_reported(row) | {
                "actor": row["actor"], "time": from_micros(row["time"]),
                "reason": row["reason"], "position": row["position"]})
        return found

    def last_check_ins(self, cycle_id: str,
                       objective_ids: Collection[str] | None = None) -> dict[str, datetime]:
        """Each objective of the cycle (or of `objective_ids` in it) with a check-in, and when
        its latest one was. A page showing a few objectives names them: a whole cycle of
        50,000 took ~100 ms to group, the few take one index range each."""
        chosen = sorted(set(objective_ids or ()))
        if objective_ids is not None and not chosen:
            return {}
        among = f" AND objective_id IN ({', '.join('?' for _ in chosen)})" if chosen else ""
        rows = self.select("SELECT objective_id, MAX(time) AS last FROM {p}check_in_series "
                           "WHERE cycle_id = ?" + among + " GROUP BY objective_id",
                           [cycle_id, *chosen])
        return {row["objective_id"]: moment(row["last"]) for row in rows}


def _reported(row: Row) -> dict[str, Any]:
    return {"value": row["value"], "done": None if row["done"] is None else bool(row["done"]),
            "progress": rounded_progress(row["progress"]), "confidence": row["confidence"],
            "note": row["note"]}


def _point(row: Row, corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """The check-in as it stands: its latest correction's values, if any, over the original."""
    original = _reported(row)
    shown = original if not corrections else {
        name: corrections[-1][name] for name in original}
    return {"time": from_micros(row["time"]), **shown, "actor": row["actor"],
            "position": row["position"], "check_in_id": row["check_in_id"],
            "corrected": bool(corrections), "original": original if corrections else None,
            "corrections": corrections}


class SQLiteCheckInView(CheckInTables, SQLiteView[CheckIns]):
    pass


class PostgresCheckInView(CheckInTables, PostgresView[CheckIns]):
    pass
