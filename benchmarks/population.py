"""Large stores, made fast and honestly: rows 2, 3, 5 and 6 need up to 10^6 events to start.

One command per objective through `OKRLedger` costs one transaction each (about 2 ms on the
SQLite file, 4 ms on PostgreSQL), so a million events would take an hour. Here every objective
is built with the domain's own methods, each step authorised by the ledger's own workflow
(`OKRLedger.objective_step`), together with its owner's index aggregate, and about 1,000 events
are saved per transaction through the ledger's own `save_all`. The log holds the events the
commands would have written, grouped per objective rather than interleaved over time. Snapshots
are not taken while loading (they are not in the notification log, which is all the rows read;
later commands still snapshot as usual).
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.domain import Aggregate

from domain.indexes import OwnerCycleIndex
from domain.objective import Objective
from domain.rules import MethodologyRules
from domain.values import ObjectiveState
from workflows.actors import Actor
from workflows.drafting_commands import draft_step
from workflows.ledger import OKRLedger

ADMIN = Actor("ada", "admin")
REVIEWER = Actor("rita", "member")
FAN_OUT = 8
PER_OWNER = 4
LEVELS = ("company", "department", "team")
KEY_RESULT = {"title": "Weekly active users", "kind": "metric", "start": 0, "target": 100}


@dataclass(frozen=True)
class Made:
    """An active objective that was made: its owner, id and first key result's id."""

    owner: Actor
    objective_id: str
    key_result_id: str


def open_cycle(ledger: OKRLedger, name: str = "bench") -> str:
    cycle_id = ledger.open_cycle(ADMIN, name=name, starts_on="2026-10-01",
                                 ends_on="2026-12-31").created_id
    ledger.start_cycle(ADMIN, cycle_id)
    return str(cycle_id)


def populate(ledger: OKRLedger, cycle_id: str, objectives: int, check_ins: int,
             batch_events: int = 1000) -> list[Made]:
    """`objectives` active objectives in one alignment tree (each aligned to the one
    `FAN_OUT` places above it, so the tree is about log8(n) deep), each with `check_ins`
    check-ins on its key result, saved about `batch_events` events per transaction (a batch
    of 20,000 stalled the library's PostgreSQL insert for minutes; 1,000 is as fast as any)."""
    rules, made = MethodologyRules(), list[Made]()
    batch = max(1, batch_events // (check_ins + 5))
    indexes: dict[str, OwnerCycleIndex] = {}
    pending: dict[object, Aggregate] = {}
    snapshotting = ledger.snapshotting_intervals
    ledger.snapshotting_intervals = {}  # type: ignore[misc]  # this instance only: no snapshots while bulk-loading
    try:
        for number in range(objectives):
            objective = _active(ledger, cycle_id, number, made, rules)
            check_in = ledger.objective_step(objective, "check_in", made[-1].owner)
            for value in range(check_ins):
                objective.check_in(check_in, made[-1].key_result_id, value=value % 100,
                                   confidence=0.6)
            index = indexes.setdefault(objective.owner, OwnerCycleIndex(cycle_id, objective.owner))
            index.add(str(objective.id))
            pending.update({objective.id: objective, index.id: index})
            if len(pending) >= 2 * batch:
                ledger.save_all(*pending.values())
                pending = {}
        if pending:
            ledger.save_all(*pending.values())
    finally:
        ledger.snapshotting_intervals = snapshotting  # type: ignore[misc]
    return made


def _active(ledger: OKRLedger, cycle_id: str, number: int, made: list[Made],
            rules: MethodologyRules) -> Objective:
    """A drafted, submitted and approved objective, each step allowed by the workflow."""
    owner = Actor(f"owner-{number // PER_OWNER}")
    parent = made[(number - 1) // FAN_OUT].objective_id if number else None
    objective = Objective(cycle_id=cycle_id, title=f"Objective {number}", description="",
                          owner=owner.name, reviewer=REVIEWER.name,
                          level=LEVELS[min(len(LEVELS) - 1, _depth(number))], kind="business",
                          parent_id=parent, supports=[], scoring_policy="grade",
                          carried_over_from=None, actor=owner.name,
                          state=ObjectiveState.DRAFT.value, reason="")
    key_result_id = objective.add_key_result(draft_step(owner), KEY_RESULT)
    objective.submit(ledger.objective_step(objective, "submit", owner), rules,
                     number % PER_OWNER)
    objective.approve(ledger.objective_step(objective, "approve", REVIEWER))
    made.append(Made(owner, str(objective.id), key_result_id))
    return objective


def _depth(number: int) -> int:
    depth = 0
    while number:
        number, depth = (number - 1) // FAN_OUT, depth + 1
    return depth
