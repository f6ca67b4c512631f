"""Row 3: rebuilding every projection from the whole log, against reading that log raw.

The log is made by `benchmarks.population` (untimed): `events // 100` active objectives in one
cycle, each with 95 check-ins, about 100 events each with their index aggregates. Then a
`ProjectionService` on the same store times `rebuild()`: drop every view (tree, audit,
check-ins) and replay the whole log into them, batch by batch, each batch committed with its
position. "Raw" is the fair floor of any rebuild: reading the same notifications through the
application's own recorder (`select_notifications`, the follower's batch size) and decoding each
into its domain event with the application's mapper, as the follower must. It is timed once
before and once after the rebuild and averaged. `bare_select_events_per_s` (the select alone,
no decoding) is shown for context only.
"""

from __future__ import annotations

import time

from benchmarks.population import open_cycle, populate
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import timed
from projections.service import ProjectionService
from workflows.ledger import OKRLedger

EVENTS_PER_OBJECTIVE = 100
CHECK_INS_PER_OBJECTIVE = 95
BATCH = 2000


def read_log(ledger: OKRLedger, decode: bool) -> int:
    """Every notification of the log, in the follower's batches; how many were read."""
    start, read = 1, 0
    while True:
        notifications = ledger.recorder.select_notifications(start=start, limit=BATCH)
        if not notifications:
            return read
        if decode:
            for notification in notifications:
                ledger.mapper.to_domain_event(notification)
        read += len(notifications)
        start = notifications[-1].id + 1


def run(store: Store, sizes: Sizes) -> Outcome:
    with store.fresh() as env, OKRLedger(env) as ledger:
        started = time.perf_counter()
        populate(ledger, open_cycle(ledger), sizes.events // EVENTS_PER_OBJECTIVE,
                 CHECK_INS_PER_OBJECTIVE)
        loading = time.perf_counter() - started
        events = ledger.recorder.max_notification_id() or 0
        raw_before = timed(lambda: read_log(ledger, decode=True))
        bare = timed(lambda: read_log(ledger, decode=False))
        with ProjectionService(env, ledger=ledger, batch_size=BATCH) as service:
            rebuild = timed(service.rebuild)
            reached = service.position()
        raw_after = timed(lambda: read_log(ledger, decode=True))
    if reached != events:
        raise RuntimeError(f"the rebuild reached position {reached}, not {events}")
    raw = (raw_before + raw_after) / 2
    return Outcome(measured=Figure(events / rebuild, "events/s"),
                   baseline=Figure(events / raw, "events/s"),
                   extras={"events": events, "rebuild_s": round(rebuild, 2),
                           "raw_read_s": [round(raw_before, 2), round(raw_after, 2)],
                           "bare_select_events_per_s": round(events / bare),
                           "load_events_per_s": round(events / loading)})


ROW = Row(
    number=3,
    what="rebuilding every projection (tree, audit, check-ins) from `events` events",
    baseline="reading the same notification log raw: the recorder's select_notifications "
             "plus the mapper's decoding, same batch size",
    targets=(Target("ratio", ">=", 0.3),),
    run=run,
)
