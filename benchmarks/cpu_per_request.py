"""CPU time `okr serve` spends per request, by kind: `python -m benchmarks.cpu_per_request`.

Requests per second move with whatever else the machine runs; the server's own CPU time per
request (user + system, from /proc) moves much less, so this is how a change to the request
path is compared on a shared machine. Loads `--objectives` active objectives, serves them with
one `okr serve` process, and drives it with wrk for `--seconds` per side: GET /healthz, then
check-ins spread over every objective (as row 2 does), `--rounds` times; prints milliseconds of
server CPU per request of each side. One process only: the figure is per process.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from benchmarks.population import open_cycle, populate
from benchmarks.row2_http import check_in_posts
from benchmarks.served import okr_serve
from benchmarks.stores import Store
from benchmarks.wrk import Posted, run_wrk
from workflows.ledger import OKRLedger

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` and of its threads, so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_ms_per_request(pid: int, url: str, seconds: float, posts: list[Posted] | None) -> float:
    before = cpu_seconds(pid)
    load = run_wrk(url, seconds, posts)
    return (cpu_seconds(pid) - before) * 1000 / max(1, load.requests)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.cpu_per_request", description=__doc__)
    p.add_argument("--store", default="sqlite", choices=["sqlite", "postgres"])
    p.add_argument("--objectives", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args(argv)
    secret = secrets.token_urlsafe(32)
    with Store(args.store).fresh() as env:
        with OKRLedger(env) as ledger:
            made = populate(ledger, open_cycle(ledger), args.objectives, check_ins=0)
        with okr_serve(env, secret, workers=1) as okr:
            for number in range(args.rounds):
                healthz = cpu_ms_per_request(okr.pid, f"{okr.base}/healthz", args.seconds, None)
                check_ins = cpu_ms_per_request(okr.pid, okr.base, args.seconds,
                                               check_in_posts(made, secret))
                print(f"round {number + 1}: {args.store}: server CPU per request: /healthz "
                      f"{healthz:.3f} ms, check-in {check_ins:.3f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
