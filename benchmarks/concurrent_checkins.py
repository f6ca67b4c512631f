"""Check-ins from many threads of one process, with and without group commit:
`python -m benchmarks.concurrent_checkins [--store sqlite|postgres] [--threads 32]`.

Row 1 checks in from one thread, where group commit has nothing to group; a server's request
threads check in at once. This loads `--objectives` active objectives, then runs `--seconds` of
check-ins from `--threads` threads through `OKRLedger.check_in`, alternating rounds in which
each command commits its own transaction (`LedgerBase.save_all` as it was before group commit:
the library's `save`) with rounds through group commit, and prints both rates.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.population import Made, open_cycle, populate
from benchmarks.stores import Store
from workflows.ledger import OKRLedger


def one_transaction_each(ledger: OKRLedger) -> Callable[..., int]:
    """`save_all` as it was before group commit: the library's own `save`, one per command."""
    def save_all(subject: Any, *others: Any, created_id: str | None = None) -> int:
        return max(r.notification.id for r in ledger.save(subject, *others))
    return save_all


def rate(ledger: OKRLedger, made: list[Made], threads: int, seconds: float) -> float:
    done = [0] * threads
    stop_at = time.monotonic() + seconds

    def work(number: int) -> None:
        turn = number
        while time.monotonic() < stop_at:
            target = made[turn % len(made)]
            ledger.check_in(target.owner, target.objective_id, target.key_result_id,
                            value=turn % 100, confidence=0.5)
            done[number] += 1
            turn += threads
    started = time.perf_counter()
    running = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.concurrent_checkins",
                                description=__doc__)
    p.add_argument("--store", default="sqlite", choices=["sqlite", "postgres"])
    p.add_argument("--threads", type=int, default=32)
    p.add_argument("--objectives", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args(argv)
    with Store(args.store).fresh() as env, OKRLedger(env) as ledger:
        made = populate(ledger, open_cycle(ledger), args.objectives, check_ins=0)
        grouped = ledger.save_all
        for number in range(args.rounds):
            ledger.save_all = one_transaction_each(ledger)  # type: ignore[method-assign]
            alone = rate(ledger, made, args.threads, args.seconds)
            ledger.save_all = grouped  # type: ignore[method-assign]
            together = rate(ledger, made, args.threads, args.seconds)
            print(f"round {number + 1}: {args.store}, {args.threads} threads: one transaction "
                  f"per command {alone:,.0f}/s, group commit {together:,.0f}/s "
                  f"({together / alone:.2f}x)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
