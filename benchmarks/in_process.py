"""The ceiling row 2's HTTP layer works under: the same check-ins with no HTTP at all.

`in_process_rate` runs as many processes as `okr serve` has workers, each calling
`OKRLedger.check_in` from its share of 32 threads (as many as wrk's connections), over the same
objectives and store, while the server runs beside them (its views follower and sealer still
take their share of the store, as they do under HTTP load). Whatever check-ins/s this reaches
bounds what any web layer in front of the same ledger could: when it is below 0.35x of
`/healthz`, row 2's target cannot be met by making the HTTP path cheaper, only by making the
command itself cheaper.
"""

from __future__ import annotations

import multiprocessing

from benchmarks.concurrent_checkins import rate
from benchmarks.population import Made
from workflows.ledger import OKRLedger
from workflows.startup import opened

CONNECTIONS = 32


def in_process_rate(env: dict[str, str], made: list[Made], processes: int,
                    seconds: float) -> float:
    """Check-ins/s of `processes` processes together, each with its share of 32 threads."""
    threads = CONNECTIONS // processes
    shares = [made[n::processes] for n in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        rates = pool.starmap(_one_process, [(env, share, threads, seconds)
                                            for share in shares])
    return sum(rates)


def _one_process(env: dict[str, str], made: list[Made], threads: int, seconds: float) -> float:
    # opened() retries: processes opening one PostgreSQL store at once race to create its
    # tables ("tuple concurrently updated"), as `okr serve --workers 2` does
    with opened(lambda: OKRLedger(env), "ledger") as ledger:
        return rate(ledger, made, threads, seconds)
