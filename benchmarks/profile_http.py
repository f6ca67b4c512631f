"""Where a check-in's (or `--healthz`'s) time goes in `okr serve` under wrk:
`python -m benchmarks.profile_http`.

Loads `--objectives` active objectives into a fresh store, serves it with `okr serve` (one
process), drives check-ins with wrk as row 2 does, and samples the server with py-spy (the
`bench` extra; it sees every thread) for `--seconds`. Prints the busiest frames: the share of
samples in which each function is on the stack (total) and on top of it (self), per thread,
idle samples dropped unless `--idle`.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from benchmarks.population import open_cycle, populate
from benchmarks.row2_http import check_in_posts
from benchmarks.served import okr_serve
from benchmarks.stores import Store
from benchmarks.wrk import run_wrk
from workflows.ledger import OKRLedger


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile_http", description=__doc__)
    p.add_argument("--store", default="sqlite", choices=["sqlite", "postgres"])
    p.add_argument("--objectives", type=int, default=1000)
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--idle", action="store_true", help="count threads waiting, too")
    p.add_argument("--gil", action="store_true", help="only samples holding the GIL: what "
                                                      "bounds one process")
    p.add_argument("--raw", type=Path, help="also keep py-spy's collapsed stacks here")
    p.add_argument("--healthz", action="store_true", help="load GET /healthz, not check-ins")
    args = p.parse_args(argv)
    secret = secrets.token_urlsafe(32)
    with Store(args.store).fresh() as env:
        with OKRLedger(env) as ledger:
            made = populate(ledger, open_cycle(ledger), args.objectives, check_ins=0)
        with okr_serve(env, secret, workers=1) as okr, tempfile.TemporaryDirectory() as out:
            samples = Path(out) / "samples.txt"
            posts = None if args.healthz else check_in_posts(made, secret)
            url = f"{okr.base}/healthz" if args.healthz else okr.base
            load = threading.Thread(target=run_wrk, args=(url, args.seconds + 4, posts))
            load.start()
            record(okr.pid, args.seconds, samples, args.idle, args.gil)
            load.join()
            if args.raw:
                shutil.copy(samples, args.raw)
            print(report(samples.read_text(), args.top))
    return 0


def record(pid: int, seconds: int, out: Path, idle: bool, gil: bool) -> None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "200",
               "--format", "raw", "--threads", "--output", str(out), "--nonblocking"]
    command += (["--idle"] if idle else []) + (["--gil"] if gil else [])
    subprocess.run(command, check=True, capture_output=True)


def report(raw: str, top: int) -> str:
    """Shares of samples by function (total and self) from py-spy's collapsed stacks."""
    total, self_time, samples = Counter[str](), Counter[str](), 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [frame.split(" (")[0] + " " + frame.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                  for frame in stack.split(";")[1:]]
        samples += count
        for frame in set(frames):
            total[frame] += count
        if frames:
            self_time[frames[-1]] += count
    lines = [f"{samples} samples (non-idle threads)", "", "total%  self%  function"]
    for frame, count in total.most_common(top):
        lines.append(f"{100 * count / samples:6.1f} {100 * self_time[frame] / samples:6.1f}  {frame}")
    lines += ["", "self%  function (top by self)"]
    for frame, count in self_time.most_common(top):
        lines.append(f"{100 * count / samples:6.1f}  {frame}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
