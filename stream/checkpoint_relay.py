"""`CheckpointRelay`: every signed checkpoint of the tamper-evident log, published once to a
topic of its own (`OKR_KAFKA_CHECKPOINT_TOPIC`, default `okr.checkpoints`), so that copies of
the tree heads live outside the server and its database (anchoring: docs/integrity.md).

Each checkpoint is one structured-mode CloudEvent (`checkpoint_event`, docs/kafka.md), keyed by
the log's origin, so a log's checkpoints share one partition and arrive in tree-size order.

Exactly once, across restarts: the relay tracks the tree size the broker acknowledged, in the
library's tracking table beside the event relay's row, written after each acknowledged batch.
A relay killed after the broker acknowledged a batch but before it recorded that would send
it again; so whenever it takes its lease, and after a failed batch, it first reads the end of
its partition (`stream.topic_tail`) and counts what the topic already holds as published. The
producer is idempotent, so its own retries add no copies either.

One publisher per store and topic, whatever the event relay's shards: it runs beside them
(`stream.relay.RelayShards`) under a lease of its own.
"""

from __future__ import annotations

import base64
import logging
import threading
import uuid
from datetime import datetime
from typing import Any

import orjson
from eventsourcing.persistence import PersistenceError, Tracking

from integrity.tables import StoredCheckpoint, open_tables
from stream.backoff import BackoffLog, RelayOptions
from stream.cloudevents import SPECVERSION
from stream.publisher import ProducerSettings, Publisher, PublishError
from stream.topic_tail import tail_records
from stream.tracking import tracking_store
from workflows.leases import Holding, Lease
from workflows.store_locks import store_lock
from workflows.timestamps import rfc3339

log = logging.getLogger("okr.relay")
CHECKPOINT_TYPE = "okr.log.checkpoint"
CHECKPOINT_SOURCE = "urn:okr-ledger:checkpoints"
IDLE_SECONDS = 0.5
"""How often an idle relay looks for a new checkpoint: they come every
`OKR_CHECKPOINT_SECONDS` (10 s) at most, and nothing wakes the relay when one is signed."""


def checkpoint_event(checkpoint: StoredCheckpoint) -> dict[str, Any]:
    """The CloudEvent of a signed checkpoint. Its id is derived from the log's origin, the tree
    size and the root (`uuid5(NAMESPACE_URL, "okr-ledger:checkpoint:<origin>:<size>:<root,
    base64>")`), so a copy of it always carries the same id."""
    origin = checkpoint.note.split("\n", 1)[0]
    root = base64.b64encode(checkpoint.root_hash).decode()
    name = f"okr-ledger:checkpoint:{origin}:{checkpoint.tree_size}:{root}"
    return {"specversion": SPECVERSION, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
            "source": CHECKPOINT_SOURCE, "type": CHECKPOINT_TYPE, "subject": origin,
            "time": rfc3339(datetime.fromisoformat(checkpoint.created_at)),
            "datacontenttype": "application/json",
            "data": {"origin": origin, "tree_size": checkpoint.tree_size, "root_hash": root,
                     "note": checkpoint.note}}


class CheckpointRelay:
    def __init__(self, env: dict[str, str], producer: ProducerSettings,
                 options: RelayOptions | None = None) -> None:
        self.options = options or RelayOptions()
        self.producer = producer
        self.topic = producer.topic
        self.tables = open_tables(env)
        self._tracking_store = tracking_store(env)
        self.tracking = self._tracking_store.tracking_recorder()
        self.tracking_name = f"OKRLedger->kafka-checkpoints:{self.topic}"
        self.publisher = Publisher(producer)
        name = f"kafka-checkpoints:{self.topic}"
        self.lease = Lease(store_lock(env, name), name, self.options.lease_retry_seconds)
        self._topic_read = False
        self._backoff: BackoffLog | None = None
        """The backoff of the publishing loop, while this relay holds the lease."""
        self._stopping = threading.Event()

    @property
    def last_error(self) -> str | None:
        """Why the last batch failed, while publishing fails; None once a batch succeeds, or
        while this relay does not publish."""
        backoff = self._backoff
        return None if backoff is None else backoff.last_error

    def position(self) -> int:
        """The tree size of the last checkpoint the broker acknowledged (0: none yet)."""
        return self.tracking.max_tracking_id(self.tracking_name) or 0

    def publish_next_batch(self) -> int:
        """Publish the checkpoints signed after the tracked one; how many it published."""
        if not self._topic_read:
            self._count_what_the_topic_holds()
        found = self.tables.checkpoints(self.position(), self.options.batch_size)
        if not found:
            return 0
        try:
            self.publisher.publish([checkpoint_event(checkpoint) for checkpoint in found])
        except PublishError:
            self._topic_read = False  # part of the batch may have landed
            raise
        self._record(found[-1].tree_size)
        log.info("published %d checkpoints up to tree size %d to %s", len(found),
                 found[-1].tree_size, self.topic)
        return len(found)

    def _count_what_the_topic_holds(self) -> None:
        """Move the tracked tree size to the largest checkpoint of this log the topic holds."""
        latest = self.tables.latest_checkpoint()
        if latest is not None:
            origin = checkpoint_event(latest)["subject"]
            self._record(max(self.position(), self._published_size(origin)))
        self._topic_read = True

    def _published_size(self, origin: str) -> int:
        key = origin.encode()
        partition = self.publisher.partitioner.choose(key, self.publisher.partitions())
        sizes = [0]
        for record in tail_records(self.producer.bootstrap, self.topic, partition,
                                   self.producer.delivery_timeout_ms / 1000):
            if record.key != key:
                continue
            event = orjson.loads(record.value)
            if event.get("type") == CHECKPOINT_TYPE:
                sizes.append(int(event["data"]["tree_size"]))
        return max(sizes)

    def _record(self, tree_size: int) -> None:
        if tree_size > self.position():
            self.tracking.insert_tracking(Tracking(self.tracking_name, tree_size))

    def run(self) -> None:
        """Publish whenever this process holds the lease, until stopped."""
        log.info("checkpoint relay for topic %s started", self.topic)
        self.lease.run(self._publish_while_holding, self._stopping)

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        self.stop()
        self.publisher.reset()
        self.lease.lock.release()
        self.tables.close()
        self._tracking_store.close()

    def _publish_while_holding(self, holding: Holding) -> None:
        self._topic_read = False
        log.info("acquired the checkpoint publisher lock; publishing after tree size %d",
                 self.position())
        backoff = self._backoff = BackoffLog(self.options)
        try:
            while holding():
                try:
                    published = self.publish_next_batch()
                except (PublishError, PersistenceError) as error:
                    self._stopping.wait(backoff.failed(error, None))
                    continue
                backoff.succeeded(0)
                if published < self.options.batch_size:
                    self._stopping.wait(IDLE_SECONDS)
        finally:
            self._backoff = None
