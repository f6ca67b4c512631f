"""Row 7: sealing the log into the Merkle tree (issue 12), against appending it raw.

`seal_events` events, each with a random 300-600 byte state (about what an OKR event stores),
are appended through the application recorder's `insert_events` in batches of 500: the fastest
the store takes events at all, so a sealer that keeps pace with it keeps pace with any real
write load (commands append a few thousand events a second). That append is the baseline. Then
the `Sealer` (default checkpoint every 1,000 events, each signed) seals the whole log from
nothing, in the same run on the same store. The issue asks for at least 20,000 events/s.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import timed
from integrity.service import IntegrityService
from workflows.ledger import OKRLedger
from workflows.settings import Settings

APPEND_BATCH = 500
TOPIC = "domain.objective:Objective.CheckedIn"


def batches(total: int) -> list[list[StoredEvent]]:
    """The events to append, made before the clock starts."""
    return [[StoredEvent(uuid.uuid4(), 1, TOPIC, os.urandom(300 + i % 300))
             for i in range(start, min(start + APPEND_BATCH, total))]
            for start in range(0, total, APPEND_BATCH)]


def run(store: Store, sizes: Sizes) -> Outcome:
    made = batches(sizes.seal_events)
    with store.fresh() as env, OKRLedger(env) as ledger, \
            tempfile.TemporaryDirectory(prefix="okr-bench-key-") as key_dir:
        append = timed(lambda: [ledger.recorder.insert_events(batch) for batch in made])
        with IntegrityService(Settings(data_dir=Path(key_dir)), ledger.recorder, env) as integrity:
            sizes_sealed: list[int] = []
            seal = timed(lambda: sizes_sealed.append(integrity.catch_up()))
            checkpoints = len(integrity.checkpoints(0, 10**6))
    if sizes_sealed != [sizes.seal_events]:
        raise RuntimeError(f"sealed {sizes_sealed}, not {sizes.seal_events} events")
    return Outcome(measured=Figure(sizes.seal_events / seal, "events/s"),
                   baseline=Figure(sizes.seal_events / append, "events/s"),
                   extras={"events": sizes.seal_events, "seal_s": round(seal, 2),
                           "append_s": round(append, 2), "checkpoints": checkpoints})


ROW = Row(
    number=7,
    what="sealing `seal_events` events into the Merkle tree, a signed checkpoint every 1,000",
    baseline="appending the same events raw: the recorder's insert_events, 500 a batch",
    targets=(Target("measured", ">=", 20_000, "events/s"), Target("ratio", ">=", 0.5)),
    run=run,
)
