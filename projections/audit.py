"""The adjustment audit: one record per adjustment, its changes before and after, its decision."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from eventsourcing.domain import Aggregate

from domain.objective import Objective
from domain.values import AdjustmentStatus
from projections.dialects import PostgresView, Row, SQLiteView, ViewCursor, ViewTables
from projections.projection import Event, EventProjection, event_class
from projections.times import from_micros, to_micros
from workflows.pages import Page, fetch_size, page_of

COLUMNS = ("adjustment_id", "objective_id", "cycle_id", "owner", "proposed_by", "proposed_at",
           "position", "reason", "changes", "decision", "decided_by", "decided_at", "comment")


PROPOSED = event_class(Objective, "AdjustmentProposed")
APPROVED = event_class(Objective, "AdjustmentApproved")
REJECTED = event_class(Objective, "AdjustmentRejected")
CANCELLED = event_class(Objective, "Cancelled")
DECISIONS = {APPROVED: AdjustmentStatus.APPROVED.value, REJECTED: AdjustmentStatus.REJECTED.value}
"""The status each decision event gives its adjustment."""


@dataclass
class AuditChanges:
    proposals: list[tuple[Any, ...]] = field(default_factory=list)
    decisions: list[tuple[Any, ...]] = field(default_factory=list)


class AuditProjection(EventProjection[AuditChanges]):
    """The events say everything about an adjustment; the objective adds its cycle and owner."""

    def new_changes(self) -> AuditChanges:
        return AuditChanges()

    @singledispatchmethod
    def process(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        """Every other event: not an adjustment, the position still moves on."""

    @process.register(PROPOSED)
    def _proposed(self, event: Any, objective: Objective, position: int) -> None:
        self.changes.proposals.append((
            event.adjustment_id, str(objective.id), objective.cycle_id, objective.owner,
            event.actor, to_micros(event.timestamp), position, event.reason,
            json.dumps(event.changes), AdjustmentStatus.PENDING.value, None, None, ""))

    @process.register(APPROVED)
    @process.register(REJECTED)
    def _decided(self, event: Any, objective: Objective, position: int) -> None:
        self.changes.decisions.append((DECISIONS[type(event)], event.actor,
                                       to_micros(event.timestamp), event.comment,
                                       event.adjustment_id))

    @process.register(CANCELLED)
    def _cancelled(self, event: Any, objective: Objective, position: int) -> None:
        """An adjustment still pending is withdrawn with the cancellation's actor and reason."""
        for adjustment in objective.adjustments.values():
            if adjustment.status == AdjustmentStatus.WITHDRAWN.value:
                self.changes.decisions.append((
                    AdjustmentStatus.WITHDRAWN.value, event.actor, to_micros(event.timestamp),
                    event.reason, adjustment.id))


class AuditTables(ViewTables[AuditChanges]):
    tables = ("audit_adjustments",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS {p}audit_adjustments (adjustment_id TEXT PRIMARY KEY, "
        "objective_id TEXT NOT NULL, cycle_id TEXT NOT NULL, owner TEXT NOT NULL, "
        "proposed_by TEXT NOT NULL, proposed_at BIGINT NOT NULL, position BIGINT NOT NULL, "
        "reason TEXT NOT NULL, changes TEXT NOT NULL, decision TEXT NOT NULL, "
        "decided_by TEXT, decided_at BIGINT, comment TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_by_time ON {p}audit_adjustments (proposed_at)",
        "CREATE INDEX IF NOT EXISTS audit_by_cycle ON {p}audit_adjustments "
        "(cycle_id, proposed_at)",
        "CREATE INDEX IF NOT EXISTS audit_by_objective ON {p}audit_adjustments "
        "(objective_id, proposed_at)",
        "CREATE INDEX IF NOT EXISTS audit_by_owner ON {p}audit_adjustments (owner, proposed_at)",
    )

    def write_changes(self, cursor: ViewCursor, changes: AuditChanges) -> None:
        self.insert_many(cursor, "{p}audit_adjustments", COLUMNS, changes.proposals)
        self.execute_many(cursor, "UPDATE {p}audit_adjustments SET decision = ?, "
                                  "decided_by = ?, decided_at = ?, comment = ? "
                                  "WHERE adjustment_id = ?", changes.decisions)

    def adjustments(self, *, cycle_id: str | None = None, objective_id: str | None = None,
                    owner: str | None = None, since: datetime | None = None,
                    until: datetime | None = None, after: int = 0,
                    limit: int | None = None) -> Page[dict[str, Any]]:
        """Matching records in the order proposed (the log's), a page at a time after log
        position `after`; `since` inclusive, `until` exclusive."""
        filters = [("cycle_id = ?", cycle_id), ("objective_id = ?", objective_id),
                   ("owner = ?", owner),
                   ("proposed_at >= ?", None if since is None else to_micros(since)),
                   ("proposed_at < ?", None if until is None else to_micros(until)),
                   ("position > ?", after)]
        used = [(clause, value) for clause, value in filters if value is not None]
        size = fetch_size(limit)
        rows = self.select(f"SELECT {', '.join(COLUMNS)} FROM {{p}}audit_adjustments "
                           f"WHERE {' AND '.join(clause for clause, _ in used)} "
                           "ORDER BY position" + ("" if size is None else f" LIMIT {size}"),
                           [value for _, value in used])
        return page_of(rows, limit, lambda row: (row["position"],), _record)


def _record(row: Row) -> dict[str, Any]:
    record = {name: row[name] for name in COLUMNS if name != "position"}
    record["changes"] = json.loads(record["changes"])
    record["proposed_at"] = from_micros(record["proposed_at"])
    record["decided_at"] = from_micros(record["decided_at"])
    return record


class SQLiteAuditView(AuditTables, SQLiteView[AuditChanges]):
    pass


class PostgresAuditView(AuditTables, PostgresView[AuditChanges]):
    pass
