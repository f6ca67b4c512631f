"""Row 2: check-ins over HTTP from `okr serve`, against the same server's /healthz.

The store gets `http_objectives` active objectives (untimed, `benchmarks.population`; four per
owner). `okr serve` then runs as a process of its own on a free loopback port, with its own
temporary data directory (SQLite) or database (PostgreSQL) and a token secret given by
OKR_SECRET. The load comes from another process (`benchmarks.http_load`: httpx, asyncio, 32
keep-alive connections). Both sides send `http_requests` requests in `ROUNDS` alternating rounds
(healthz, check-ins, healthz, ...), so noise falls on both alike: GET /healthz, and POST
/v1/objectives/{id}/check-ins, request n going to objective n mod `http_objectives` with its
owner's bearer token. The figure is requests/s; the ratio is check-ins / healthz; p50 and p99
latencies and every error are in extras (the target needs zero errors).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from api.tokens import issue_token
from benchmarks.population import open_cycle, populate
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import median, percentile
from workflows.ledger import OKRLedger

CONCURRENCY = 32
ROUNDS = 2
STARTUP_SECONDS = 30


def database_url(env: dict[str, str]) -> str:
    if env["PERSISTENCE_MODULE"] != "eventsourcing.postgres":
        return ""
    return (f"postgresql://{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:"
            f"{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}")


@contextmanager
def served(env: dict[str, str], secret: str) -> Iterator[str]:
    """`okr serve` on a free port over the store of `env`, until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child_env = {**os.environ, "OKR_SECRET": secret, "OKR_DATABASE_URL": database_url(env)}
    with _data_dir(env) as data_dir, tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "okr"), "serve", "--port", str(port),
             "--data-dir", str(data_dir)], env=child_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def _data_dir(env: dict[str, str]) -> Iterator[Path]:
    """The SQLite store's own directory, or a temporary one (PostgreSQL keeps no files)."""
    if env.get("SQLITE_DBNAME"):
        yield Path(env["SQLITE_DBNAME"]).parent
        return
    with tempfile.TemporaryDirectory(prefix="okr-bench-serve-") as directory:
        yield Path(directory)


def _wait_until_healthy(base: str, process: subprocess.Popen, log: Any) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"okr serve exited: {log.read()[-800:]!r}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"okr serve did not answer /healthz within {STARTUP_SECONDS} s")


def load(base: str, requests: list[list[Any]]) -> dict[str, Any]:
    job = json.dumps({"base": base, "concurrency": CONCURRENCY, "requests": requests})
    done = subprocess.run([sys.executable, "-m", "benchmarks.http_load"], input=job,
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


def check_in_requests(made: list, secret: str, start: int, count: int) -> list[list[Any]]:
    tokens = {m.owner.name: {"Authorization": "Bearer " + issue_token(secret, m.owner.name, "member")}
              for m in made}
    chosen = [made[n % len(made)] for n in range(start, start + count)]
    return [["POST", f"/v1/objectives/{m.objective_id}/check-ins", tokens[m.owner.name],
             {"key_result_id": m.key_result_id, "value": n % 100, "confidence": 0.5}]
            for n, m in enumerate(chosen, start)]


def run(store: Store, sizes: Sizes) -> Outcome:
    secret, per_round = secrets.token_urlsafe(32), sizes.http_requests // ROUNDS
    results: dict[str, list[dict[str, Any]]] = {"healthz": [], "check_ins": []}
    with store.fresh() as env:
        with OKRLedger(env) as ledger:
            made = populate(ledger, open_cycle(ledger), sizes.http_objectives, check_ins=0)
        with served(env, secret) as base:
            for number in range(ROUNDS):
                results["healthz"].append(load(base, [["GET", "/healthz", {}, None]] * per_round))
                results["check_ins"].append(
                    load(base, check_in_requests(made, secret, number * per_round, per_round)))
    return outcome(results)


def outcome(results: dict[str, list[dict[str, Any]]]) -> Outcome:
    rate: dict[str, float] = {}
    extras: dict[str, Any] = {}
    for side, rounds in results.items():
        latencies = [t for r in rounds for t in r["latencies"]]
        rate[side] = len(latencies) / sum(r["seconds"] for r in rounds)
        extras |= {f"{side}_p50_ms": median(latencies) * 1000,
                   f"{side}_p99_ms": percentile(latencies, 0.99) * 1000,
                   f"{side}_errors": sum(r["errors"] for r in rounds)}
        first = [e for r in rounds for e in r["first_errors"]][:3]
        if first:
            extras[f"{side}_first_errors"] = first
    extras["errors"] = extras["healthz_errors"] + extras["check_ins_errors"]
    extras["p50_ms"], extras["p99_ms"] = extras["check_ins_p50_ms"], extras["check_ins_p99_ms"]
    return Outcome(measured=Figure(rate["check_ins"], "requests/s"),
                   baseline=Figure(rate["healthz"], "requests/s"), extras=extras)


ROW = Row(
    number=2,
    what="check-ins over HTTP from `okr serve`, 32 concurrent connections over "
         "`http_objectives` objectives, zero errors",
    baseline="the same server's /healthz under the same load",
    targets=(Target("ratio", ">=", 0.35), Target("errors", "<=", 0, "errors")),
    run=run,
)
