"""Row 6: the alignment tree of a cycle with `tree_objectives` objectives, as a reader sees it.

The cycle is made by `benchmarks.population` (untimed): active objectives in one tree, eight
children per parent. A `ProjectionService` on the store catches up (untimed), then:

- the first read of the tree on that service (cold: nothing of the cycle in memory yet) is
  timed alone and reported as `cold_ms`;
- `tree_reads` reads of the whole tree follow, each timed alone. Before every `WRITE_EVERY`-th
  read one objective of the cycle gets a check-in through `OKRLedger.check_in` and the views
  catch up (untimed), so one read in five sees a changed cycle, as an API serving a team
  during its weekly check-ins would. The figure is the median; the target is on the p95.

`json_ms` is the median time to encode the tree as JSON, which an HTTP response adds.
"""

from __future__ import annotations

import json
import random

from benchmarks.population import open_cycle, populate
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import median, percentile, timed
from projections.service import ProjectionService
from workflows.ledger import OKRLedger

WRITE_EVERY = 5


def read_times(service: ProjectionService, cycle_id: str, made: list, sizes: Sizes,
               ) -> tuple[list[float], list[float]]:
    pick = random.Random(sizes.seed)
    fresh: list[float] = []
    unchanged: list[float] = []
    for number in range(sizes.tree_reads):
        changed = number % WRITE_EVERY == 0
        if changed:
            target = pick.choice(made)
            service.ledger.check_in(target.owner, target.objective_id, target.key_result_id,
                                    value=pick.randint(0, 100), confidence=0.7)
            service.catch_up()
        spent = timed(lambda: service.tree(cycle_id))
        (fresh if changed else unchanged).append(spent)
    return fresh, unchanged


def run(store: Store, sizes: Sizes) -> Outcome:
    with store.fresh() as env, OKRLedger(env) as ledger:
        cycle_id = open_cycle(ledger)
        made = populate(ledger, cycle_id, sizes.tree_objectives, check_ins=0)
        with ProjectionService(env, ledger=ledger) as service:
            service.catch_up()
            cold = timed(lambda: service.tree(cycle_id))
            fresh, unchanged = read_times(service, cycle_id, made, sizes)
            tree = service.tree(cycle_id)
            encode = [timed(lambda: json.dumps(tree)) for _ in range(3)]
    every = fresh + unchanged
    ms = 1000.0
    return Outcome(
        measured=Figure(median(every) * ms, "ms"),
        extras={"p95_ms": percentile(every, 0.95) * ms, "cold_ms": cold * ms,
                "after_write_median_ms": median(fresh) * ms,
                "unchanged_median_ms": median(unchanged) * ms,
                "json_ms": median(encode) * ms, "objectives": sizes.tree_objectives,
                "reads": len(every), "writes": len(fresh)},
    )


ROW = Row(
    number=6,
    what="tree of a cycle with `tree_objectives` objectives (reads, 1 in 5 after a check-in)",
    baseline="none",
    targets=(Target("p95_ms", "<=", 200, "ms"),),
    run=run,
)
