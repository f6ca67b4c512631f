"""Row 9: the web app's server time per page, and the subtree a reader opens in a big cycle.

One store holds a cycle of `page_objectives` objectives (`benchmarks.population`, untimed), one
of its objectives with `page_check_ins` check-ins written through `OKRLedger.check_in` and an
approved retarget (so its chart, timeline and version slider are as big as the row says), and a
second cycle of `tree_objectives` objectives, whose top levels the cycle page shows and whose
subtrees open on demand. The app is `okr serve`'s own (`api.app.create_app`), driven in process
by Starlette's TestClient with a signed-in person's session cookie, once its views and its
sealer caught up and its integrity check at start-up finished: a server that has run a while
has sealed its log, and between checks (`OKR_INTEGRITY_CHECK_SECONDS`, here only the one at
start) verifies none of it. Sealing or verifying 300,000 events while pages are read shares the
process's one GIL with them and fills the old generation, whose collections (0.1-0.6 s each
over the big cycle's cached tree, on a loaded machine) then land in the reads: with the check
running, the objective page's p95 was 504 ms at a median of 116 ms.
Each page is read `page_reads` times after one untimed read, each read timed alone, from the
request to the last byte of the answer: home (whose current cycle is the 2,000-objective one),
the 2,000-objective cycle, the objective, the audit and a subtree of the big cycle. Then the two
smaller cycles are closed, so the big one is current, and home is read as often again
(`home_big`: the person's objectives and reviews in a 50,000-objective cycle). Targets on each
page's p95, home in the big cycle too: 150 ms; the subtree 100 ms.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial

from fastapi import FastAPI
from starlette.testclient import TestClient

from api.app import create_app
from benchmarks.population import ADMIN, REVIEWER, open_cycle, populate
from benchmarks.served import data_dir, database_url
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import median, percentile, timed
from web.home_view import current_cycle
from web.sessions import COOKIE, encode_session, new_session
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.settings import Settings

PAGES = ("home", "cycle", "objective", "audit")
CHECK_SECONDS = 900
"""How long the integrity check at start-up may take (~11 s for 300,000 events, loaded)."""
OWNER = Actor("owner-0")
"""The signed-in person: an owner of objectives in every cycle (`benchmarks.population`)."""


def _big_objective(ledger: OKRLedger, cycle_id: str, check_ins: int) -> str:
    [made] = populate(ledger, cycle_id, 1, check_ins=0)
    for number in range(check_ins):
        if number == check_ins // 2:
            adjustment = ledger.propose_adjustment(made.owner, made.objective_id, "rescoped", [
                {"op": "retarget_key_result", "key_result_id": made.key_result_id,
                 "target": 80}]).created_id
            ledger.approve_adjustment(REVIEWER, made.objective_id, adjustment, "agreed")
        ledger.check_in(made.owner, made.objective_id, made.key_result_id,
                        value=number % 100, confidence=0.6)
    return made.objective_id


def run(store: Store, sizes: Sizes) -> Outcome:
    with store.fresh() as env:
        with OKRLedger(env) as ledger:
            cycle = open_cycle(ledger, "pages")
            populate(ledger, cycle, sizes.page_objectives, check_ins=1)
            objective = _big_objective(ledger, open_cycle(ledger, "history"),
                                       sizes.page_check_ins)
            big = open_cycle(ledger, "big")
            made = populate(ledger, big, sizes.tree_objectives, check_ins=0)
        paths = {"home": "/", "cycle": f"/cycles/{cycle}", "objective": f"/objectives/{objective}",
                 "audit": "/audit", "subtree": f"/cycles/{big}/nodes/{made[1].objective_id}"}
        with data_dir(env) as directory:
            times = _read(Settings(data_dir=directory, database_url=database_url(env),
                                   secret="bench-secret", integrity_check_seconds=0),
                          paths, sizes, (cycle, big))
    ms = 1000.0
    p95 = {page: percentile(spent, 0.95) * ms for page, spent in times.items()}
    worst = max(p95[page] for page in PAGES)
    return Outcome(
        measured=Figure(worst, "ms"),
        extras={"pages_p95_ms": worst, "subtree_p95_ms": p95["subtree"],
                **{f"{page}_p95_ms": value for page, value in p95.items()},
                **{f"{page}_median_ms": median(spent) * ms for page, spent in times.items()},
                "objectives": sizes.page_objectives, "check_ins": sizes.page_check_ins,
                "big_cycle": sizes.tree_objectives, "reads": sizes.page_reads})


def _read(settings: Settings, paths: dict[str, str], sizes: Sizes,
          cycles: tuple[str, str]) -> dict[str, list[float]]:
    """Each page's read times; `cycles`: the one home shows first, and the big one."""
    app = create_app(settings)
    with TestClient(app) as client:
        _settle(app, cycles[0])
        session = new_session(OWNER, datetime.now(UTC) + timedelta(hours=1))
        client.cookies.set(COOKIE, encode_session(app.state.secret, session))
        order = random.Random(sizes.seed)
        times: dict[str, list[float]] = {page: [] for page in paths}
        for path in paths.values():  # the first read of each page, untimed: warm caches
            _get(client, path)
        for _ in range(sizes.page_reads):
            for page in order.sample(list(paths), len(paths)):
                times[page].append(timed(partial(_get, client, paths[page])))
        ledger: OKRLedger = app.state.ledger
        for other in ledger.list_cycles():
            if str(other.id) != cycles[1]:
                ledger.close_cycle(ADMIN, other.id)
        _settle(app, cycles[1])
        _get(client, "/")
        times["home_big"] = [timed(partial(_get, client, "/")) for _ in range(sizes.page_reads)]
    return times


def _settle(app: FastAPI, current: str) -> None:
    """Views and sealer caught up, the integrity check done, `current` the cycle home shows."""
    app.state.projections.catch_up()
    app.state.integrity.catch_up()
    monitor, waited = app.state.integrity.monitor, threading.Event()
    deadline = time.monotonic() + CHECK_SECONDS
    while monitor.state.checked_at is None and time.monotonic() < deadline:
        waited.wait(0.1)  # the monitor's thread signals nothing: its state is polled
    if monitor.state.checked_at is None:
        raise RuntimeError(f"the integrity check at start-up took over {CHECK_SECONDS} s")
    shown = current_cycle(app.state.ledger)
    if shown is None or str(shown.id) != current:
        raise RuntimeError(f"home would show cycle {shown and shown.id}, not {current}")


def _get(client: TestClient, path: str) -> None:
    answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.text[:300]}")


ROW = Row(
    number=9,
    what="web pages: server time per page (home, cycle of `page_objectives`, objective with "
         "`page_check_ins` check-ins, audit), home in a `tree_objectives` cycle, and a "
         "subtree of it",
    baseline="none",
    targets=(Target("pages_p95_ms", "<=", 150, "ms"), Target("home_big_p95_ms", "<=", 150, "ms"),
             Target("subtree_p95_ms", "<=", 100, "ms")),
    run=run,
)
