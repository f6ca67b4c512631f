"""Row 4: reading an objective at a random past version against reading its current state.

One objective gets `history` check-ins through the ledger (untimed). Then a freshly opened
ledger on the same store, as a restarted server would be, alternates reads of the current state
(`objective`) with reads at uniformly random past versions (`objective_at`), each timed alone.
The figure is the median milliseconds per read; the ratio is past / current.
"""

from __future__ import annotations

import random
from functools import partial

from benchmarks.row1_checkins import active_objectives
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import median, percentile, timed
from domain.rules import MethodologyRules
from workflows.ledger import OKRLedger


def write_history(ledger: OKRLedger, checkins: int) -> str:
    [(owner, objective_id, kr_id)] = active_objectives(ledger, 1)
    for number in range(checkins):
        ledger.check_in(owner, objective_id, kr_id, value=number % 100, confidence=0.5)
    return objective_id


def read_times(ledger: OKRLedger, objective_id: str,
               sizes: Sizes) -> tuple[list[float], list[float]]:
    latest = ledger.objective(objective_id).version
    pick = random.Random(sizes.seed)
    current: list[float] = []
    past: list[float] = []
    for _ in range(sizes.reads):
        version = pick.randint(1, latest - 1)
        current.append(timed(lambda: ledger.objective(objective_id)))
        past.append(timed(partial(ledger.objective_at, objective_id, version=version)))
    return current, past


def run(store: Store, sizes: Sizes) -> Outcome:
    with store.fresh() as env:
        with OKRLedger(env, rules=MethodologyRules()) as writer:
            objective_id = write_history(writer, sizes.history)
        with OKRLedger(env, rules=MethodologyRules()) as reader:
            current, past = read_times(reader, objective_id, sizes)
    ms = 1000.0
    return Outcome(
        measured=Figure(median(past) * ms, "ms"),
        baseline=Figure(median(current) * ms, "ms"),
        extras={"history": sizes.history, "reads": sizes.reads,
                "past_p95_ms": percentile(past, 0.95) * ms,
                "current_p95_ms": percentile(current, 0.95) * ms},
    )


ROW = Row(
    number=4,
    what="reading an objective with `history` check-ins at a random past version",
    baseline="reading its current state (same ledger, same store, interleaved)",
    targets=(Target("ratio", "<=", 3.0),),
    run=run,
)
