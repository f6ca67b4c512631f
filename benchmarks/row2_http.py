"""Row 2: check-ins over HTTP from `okr serve`, against the same server's /healthz, and
/healthz against the barest FastAPI app under the same uvicorn.

The store gets `http_objectives` active objectives (untimed, `benchmarks.population`; four per
owner). `okr serve` runs as a process of its own on a free loopback port (one process on
SQLite; `--workers 2` on PostgreSQL, as the issue asks), with a token secret in OKR_SECRET,
and the bare app (`benchmarks.bare_app`) beside it with as many workers. The load is wrk
(`benchmarks.wrk`: 2 threads, 32 keep-alive connections, in C, so the load generator is not
what is measured), `http_seconds` per round, `ROUNDS` rounds of the three sides in turn:
GET /healthz of the bare app, GET /healthz of `okr serve`, and POST
/v1/objectives/{id}/check-ins spread over every objective with its owner's token. Figures are
requests/s; the ratio is check-ins / healthz, and `healthz_vs_bare` is healthz / bare app.
After the HTTP rounds, with the server still up, the same check-ins run with no HTTP at all
(`benchmarks.in_process`): `in_process_vs_healthz` is the ceiling any web layer in front of this
ledger works under.
Errors are any non-2xx or socket error, plus any check-in wrk saw answered that the store does
not hold.
"""

from __future__ import annotations

import secrets
from typing import Any

from api.tokens import issue_token
from benchmarks.in_process import in_process_rate
from benchmarks.population import Made, open_cycle, populate
from benchmarks.served import bare_app, okr_serve
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.wrk import Load, Posted, run_wrk
from workflows.ledger import OKRLedger

ROUNDS = 2
WORKERS = {"sqlite": 1, "postgres": 2}
SIDES = ("bare", "healthz", "check_ins")


def check_in_posts(made: list[Made], secret: str) -> list[Posted]:
    tokens = {m.owner.name: {"Authorization": "Bearer " + issue_token(secret, m.owner.name,
                                                                       "member")}
              for m in made}
    return [Posted(f"/v1/objectives/{m.objective_id}/check-ins", tokens[m.owner.name],
                   {"key_result_id": m.key_result_id, "value": n % 100, "confidence": 0.5})
            for n, m in enumerate(made)]


def run(store: Store, sizes: Sizes) -> Outcome:
    secret, workers = secrets.token_urlsafe(32), WORKERS[store.kind]
    loads: dict[str, list[Load]] = {side: [] for side in SIDES}
    with store.fresh() as env:
        with OKRLedger(env) as ledger:
            made = populate(ledger, open_cycle(ledger), sizes.http_objectives, check_ins=0)
            before = ledger.recorder.max_notification_id() or 0
        posts = check_in_posts(made, secret)
        with bare_app(workers) as bare, okr_serve(env, secret, workers) as okr:
            urls = {"bare": f"{bare.base}/healthz", "healthz": f"{okr.base}/healthz",
                    "check_ins": okr.base}
            for number in range(ROUNDS):
                for side in SIDES[number % 3:] + SIDES[:number % 3]:
                    loads[side].append(run_wrk(urls[side], sizes.http_seconds,
                                               posts if side == "check_ins" else None))
            stored = _events_since(env, before)
            ceiling = [in_process_rate(env, made, workers, sizes.http_seconds)
                       for _ in range(ROUNDS)]
    return outcome(loads, stored, workers, ceiling)


def _events_since(env: dict[str, str], before: int) -> int:
    with OKRLedger(env) as ledger:
        return (ledger.recorder.max_notification_id() or 0) - before


def outcome(loads: dict[str, list[Load]], stored: int, workers: int,
            ceiling: list[float]) -> Outcome:
    rate = {side: sum(x.requests for x in runs) / sum(x.seconds for x in runs)
            for side, runs in loads.items()}
    answered = sum(x.requests for x in loads["check_ins"])
    extras: dict[str, Any] = {"workers": workers, "bare_rps": rate["bare"],
                              "healthz_vs_bare": rate["healthz"] / rate["bare"],
                              "check_ins_answered": answered, "check_ins_stored": stored,
                              "lost": max(0, answered - stored),
                              "in_process_rps": sum(ceiling) / len(ceiling),
                              "in_process_rounds_rps": [round(x, 1) for x in ceiling],
                              "in_process_vs_healthz": sum(ceiling) / len(ceiling)
                              / rate["healthz"]}
    for side, runs in loads.items():
        extras |= {f"{side}_p50_ms": max(x.p50 for x in runs) * 1000,
                   f"{side}_p99_ms": max(x.p99 for x in runs) * 1000,
                   f"{side}_errors": sum(x.errors for x in runs),
                   f"{side}_rounds_rps": [round(x.rate, 1) for x in runs]}
    extras["errors"] = sum(extras[f"{side}_errors"] for side in SIDES) + extras["lost"]
    extras["p50_ms"], extras["p99_ms"] = extras["check_ins_p50_ms"], extras["check_ins_p99_ms"]
    return Outcome(measured=Figure(rate["check_ins"], "requests/s"),
                   baseline=Figure(rate["healthz"], "requests/s"), extras=extras)


ROW = Row(
    number=2,
    what="check-ins over HTTP from `okr serve` (wrk, 32 connections, over `http_objectives` "
         "objectives; 1 process on SQLite, --workers 2 on PostgreSQL), zero errors",
    baseline="the same server's /healthz under the same load; /healthz against the bare "
             "FastAPI app (`healthz_vs_bare`)",
    targets=(Target("ratio", ">=", 0.35), Target("errors", "<=", 0, "errors"),
             Target("healthz_vs_bare", ">=", 0.8)),
    run=run,
    shown=("bare_rps", "healthz_vs_bare", "in_process_rps", "in_process_vs_healthz", "errors",
           "check_ins_p99_ms"),
)
