"""Row 1: check-ins through the OKRLedger application service against a bare Application.

Each side gets a fresh store of its own and sets up its aggregates untimed. Then the sides take
turns, `block` check-ins at a time, spread round robin over the same number of aggregates, and
each side's time is summed: interleaving this finely lets the machine's noise (other processes,
disk flushes) fall on every side alike. The figure is check-ins per second; the ratio is
ledger / bare, so 1.0 means the ledger costs nothing extra. The baseline replays events with the
ledger's projector (see workflows/replay.py), so the ratio shows the ledger's own overhead;
`library_default_bare` is the same bare application with the library's default projector.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from benchmarks.bare import BareApplication
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import interleaved
from domain.rules import MethodologyRules
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.people_import import PersonRow
from workflows.replay import replay

ADMIN = Actor("ada", "admin")
REVIEWER = Actor("rita", "member")
KEY_RESULT = {"title": "Weekly active users", "kind": "metric", "start": 0, "target": 100}
BARE_FIELDS = {"actor": "owner", "state": "active", "key_result_id": "kr", "done": None,
               "confidence": 0.5, "note": "", "met": None}


def active_objectives(ledger: OKRLedger, count: int) -> list[tuple[Actor, str, str]]:
    """`count` active objectives, each with its own owner: (owner, objective id, KR id)."""
    cycle_id = ledger.open_cycle(ADMIN, name="bench", starts_on="2026-10-01",
                                 ends_on="2026-12-31").created_id
    ledger.start_cycle(ADMIN, cycle_id)
    owners = [f"owner-{number}" for number in range(count)]
    ledger.import_people(ADMIN, [PersonRow(name, name) for name in [REVIEWER.name, *owners]])
    made = []
    for number in range(count):
        owner = Actor(owners[number])
        objective_id = ledger.draft_objective(
            owner, cycle_id=cycle_id, title=f"Objective {number}", reviewer=REVIEWER.name,
            level="team", key_results=[KEY_RESULT]).created_id
        ledger.submit(owner, objective_id)
        ledger.approve(REVIEWER, objective_id)
        made.append((owner, objective_id, next(iter(ledger.objective(objective_id).key_results))))
    return made


def ledger_side(ledger: OKRLedger, sizes: Sizes) -> Callable[[range], None]:
    targets = active_objectives(ledger, sizes.objectives)

    def check_ins(numbers: range) -> None:
        for number in numbers:
            owner, objective_id, kr_id = targets[number % len(targets)]
            ledger.check_in(owner, objective_id, kr_id, value=number, confidence=0.5)
    return check_ins


def bare_side(app: BareApplication, sizes: Sizes) -> Callable[[range], None]:
    tallies = [app.start(f"owner-{number}") for number in range(sizes.objectives)]

    def check_ins(numbers: range) -> None:
        for number in numbers:
            app.check_in(tallies[number % len(tallies)], value=number, **BARE_FIELDS)
    return check_ins


def run(store: Store, sizes: Sizes) -> Outcome:
    with ExitStack() as stack:
        def opened(app: Any) -> Any:
            return stack.enter_context(app)
        ledger = opened(OKRLedger(stack.enter_context(store.fresh()), rules=MethodologyRules()))
        bare = opened(BareApplication(stack.enter_context(store.fresh()), replay))
        default = opened(BareApplication(stack.enter_context(store.fresh())))
        sides = [ledger_side(ledger, sizes), bare_side(bare, sizes), bare_side(default, sizes)]
        seconds = interleaved(sizes.checkins, sizes.block, sides)
    mine, theirs, library = (sizes.checkins / spent for spent in seconds)
    return Outcome(measured=Figure(mine, "check-ins/s"), baseline=Figure(theirs, "check-ins/s"),
                   extras={"checkins": sizes.checkins, "objectives": sizes.objectives,
                           "block": sizes.block, "library_default_bare": round(library, 1)})


ROW = Row(
    number=1,
    what="check-ins through the OKRLedger application service",
    baseline="bare eventsourcing Application + minimal aggregate: get -> event -> save, "
             "same persistence settings",
    targets=(Target("ratio", ">=", 0.8),),
    run=run,
)
