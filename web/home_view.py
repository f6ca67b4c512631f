"""What Home shows: the person's objectives in the current cycle, and what waits for them.

Everything comes from the views (current tree nodes, last check-ins, the decision log); the
ledger only lists the cycles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from projections.decision_view import DecisionFilter
from projections.service import ProjectionService
from workflows.ledger import OKRLedger

WAITING = {"in_review": ("submitted", "to approve"),
           "adjusting": ("adjustment_proposed", "an adjustment to decide"),
           "score_review": ("self_assessed", "a self-assessment to finalize")}
"""States that wait for the reviewer: the decision that made it wait, and what they owe."""


def current_cycle(ledger: OKRLedger, today: date | None = None) -> Any | None:
    """The active cycle that includes today, else the latest active one, else the latest."""
    today = today or datetime.now(UTC).date()
    cycles = ledger.list_cycles()
    active = [cycle for cycle in cycles if cycle.state == "active"]
    running = [c for c in active if c.starts_on <= today.isoformat() <= c.ends_on]
    chosen = running or active or cycles
    return max(chosen, key=lambda cycle: cycle.starts_on) if chosen else None


def confidence(node: dict[str, Any]) -> float | None:
    """The mean confidence of the objective's live KRs that have one."""
    values = [kr["confidence"] for kr in node["key_results"]
              if not kr["removed"] and kr["confidence"] is not None]
    return sum(values) / len(values) if values else None


def my_objectives(views: ProjectionService, cycle_id: str, subject: str) -> list[dict[str, Any]]:
    mine = views.objectives(cycle_id=cycle_id, owner=subject)
    last = views.last_check_ins(cycle_id, [node["id"] for node in mine])
    return [{**node, "confidence": confidence(node), "last_check_in": last.get(node["id"])}
            for node in mine]


def to_review(views: ProjectionService, subject: str) -> list[dict[str, Any]]:
    """Every objective waiting for `subject` as reviewer, the longest-waiting first."""
    waiting = []
    for state, (action, owed) in WAITING.items():
        for node in views.objectives(state=state):
            if node["reviewer"] != subject:
                continue
            entries, _ = views.decisions(DecisionFilter(objective_id=node["id"], action=action))
            since = entries[-1]["time"] if entries else None
            waiting.append({**node, "owed": owed, "since": since})
    return sorted(waiting, key=lambda item: item["since"] or datetime.min.replace(tzinfo=UTC))
