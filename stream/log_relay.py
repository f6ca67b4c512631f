"""`LogRelay`: follows the event log from its tracked position and publishes it to Kafka.

The tracked position lives in the event store's own database (the eventsourcing library's
TrackingRecorder) and is written only after the broker acknowledged a batch: after a crash the
relay re-sends at most the batch that was in flight, and consumers drop those repeats by the
CloudEvent id. It reads every notification, internal ones included, so the cursor and the lag
cover the whole log. Both stores make notifications visible in id order (SQLite has one
writer; the library's PostgreSQL recorder locks the table to insert), so a cursor never passes
an event that is still to commit.

One relay per shard (`stream.shards`; one shard unless `OKR_RELAY_SHARDS` says more) publishes
at a time, under the shard's lease (`workflows.leases`); others stand by and take over when it
dies.

When idle it waits to be woken: on PostgreSQL by the library's LISTEN/NOTIFY subscription
(`workflows.log_listener`, which wakes the views too), with a look every 30 s in case a
notification was missed; on SQLite, whose recorder cannot subscribe in eventsourcing 9.5, it
polls every `poll_interval` (0.05 s, one indexed select).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from eventsourcing.persistence import Notification, PersistenceError, Tracking

from stream.backoff import BackoffLog, RelayOptions
from stream.cloudevents import cloudevent_type, to_cloudevent
from stream.published_count import RELAY_PUBLISHED
from stream.publisher import ProducerSettings, Publisher, PublishError
from stream.shards import Shard
from stream.tracking import resume_position, tracking_name, tracking_store
from workflows.id_text import id_text
from workflows.leases import Holding, Lease, ShareOut
from workflows.ledger import OKRLedger
from workflows.log_listener import LogListener
from workflows.settings import small_pool
from workflows.store_locks import store_lock

log = logging.getLogger("okr.relay")
LISTENING_IDLE_CHECK_SECONDS = 30.0
RESUBSCRIBE_SECONDS = 1.0


class LogRelay:
    def __init__(self, env: dict[str, str], producer: ProducerSettings,
                 options: RelayOptions | None = None, shard: Shard | None = None,
                 share: ShareOut | None = None) -> None:
        """`share`: the shards this process holds, when it runs several (`RelayShards`)."""
        self.options = options or RelayOptions()
        self.topic = producer.topic
        self.shard = shard or Shard()
        self.ledger = OKRLedger(small_pool(env))
        self._tracking_store = tracking_store(env)
        self.tracking = self._tracking_store.tracking_recorder()
        self.tracking_name = tracking_name(self.topic, self.shard)
        self.publisher = Publisher(producer)
        name = f"kafka-relay:{self.topic}{self.shard.suffix()}"
        self.lease = Lease(store_lock(env, name), name, self.options.lease_retry_seconds, share)
        self.failures = 0
        self._backoff: BackoffLog | None = None
        """The backoff of the publishing loop, while this relay holds the lease."""
        self._resume_at: int | None = None
        self._stopping = threading.Event()
        self._new_events = threading.Event()
        self.listener = LogListener(self.ledger.recorder, self._new_events.set,
                                    retry_interval=RESUBSCRIBE_SECONDS)
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okr-relay-read")
        self._ahead: tuple[int, Future[Sequence[Notification]]] | None = None

    @property
    def last_error(self) -> str | None:
        """Why the last batch failed, while publishing fails; None once a batch succeeds, or
        while this relay does not publish."""
        backoff = self._backoff
        return None if backoff is None else backoff.last_error

    def position(self) -> int:
        """The last log position the broker acknowledged (for this shard). Until the shard has
        a row of its own, where an earlier layout of shards got to (looked up once)."""
        own = self.tracking.max_tracking_id(self.tracking_name)
        if own is not None:
            return own
        if self._resume_at is None:
            self._resume_at = resume_position(self.tracking, self.topic, self.shard)
        return self._resume_at

    def lag(self) -> int:
        """How many log positions are not yet acknowledged by the broker."""
        return (self.ledger.recorder.max_notification_id() or 0) - self.position()

    def publish_next_batch(self) -> int:
        """Publish the next batch after the tracked position; return how many positions it read.

        A full batch means more is waiting (catching up): the batch after it is read from the
        store in a thread while this one is encoded, sent and acknowledged, so the store's
        answer no longer waits behind the broker's. Nothing else changes: the position is
        recorded only after the broker acknowledged the batch, and a batch read ahead is used
        only if the next call starts where it does (after a failure it is read again)."""
        after = self.position()
        notifications = self._batch_after(after)
        if not notifications:
            return 0
        if len(notifications) == self.options.batch_size:
            last = notifications[-1].id
            self._ahead = (last, self._reader.submit(self._select_after, last))
        events = [to_cloudevent(n, self.ledger.mapper, self.options.schema_base)
                  for n in self._ours(notifications)]
        published = [e for e in events if e is not None]
        if published:
            self.publisher.publish(published)
            RELAY_PUBLISHED.inc(len(published))
        self.tracking.insert_tracking(Tracking(self.tracking_name, notifications[-1].id))
        log.debug("published %d events up to position %d", len(published), notifications[-1].id)
        return len(notifications)

    def _select_after(self, after: int) -> Sequence[Notification]:
        return self.ledger.recorder.select_notifications(
            start=after, limit=self.options.batch_size, inclusive_of_start=False)

    def _batch_after(self, after: int) -> Sequence[Notification]:
        """The batch after `after`: the one read ahead if it starts there, else read now."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == after:
            return ahead[1].result()
        return self._select_after(after)

    def _ours(self, notifications: Sequence[Notification]) -> Sequence[Notification]:
        """The published events this shard sends: those keyed to its partitions."""
        if self.shard.whole:
            return notifications
        partitions, choose = self.publisher.partitions(), self.publisher.partitioner.choose
        return [n for n in notifications if cloudevent_type(n.topic) is not None
                and self.shard.owns(choose(id_text(n.originator_id).encode(), partitions))]

    def run(self) -> None:
        """Publish whenever this process holds the shard's lease, until stopped."""
        log.info("relay for topic %s%s started", self.topic, self.shard.suffix())
        self.listener.start()
        self.lease.run(self._publish_while_holding, self._stopping)

    def stop(self) -> None:
        self._stopping.set()
        self._new_events.set()

    def close(self) -> None:
        self.stop()
        self.listener.stop()
        self.publisher.reset()
        self._reader.shutdown(wait=True, cancel_futures=True)
        self._ahead = None
        self.lease.lock.release()
        self.ledger.close()
        self._tracking_store.close()

    def _wait_for_new_events(self) -> None:
        """Until the listener rings (or a stop), checking now and then; a poll where no
        listener runs (SQLite)."""
        listening = self.listener.listening
        self._new_events.wait(LISTENING_IDLE_CHECK_SECONDS if listening
                              else self.options.poll_interval)

    def _lag_if_known(self) -> int | None:
        """The lag, or None while the database itself cannot be read."""
        try:
            return self.lag()
        except PersistenceError:
            return None

    def _publish_while_holding(self, holding: Holding) -> None:
        log.info("acquired the publisher lock; publishing from position %d", self.position())
        backoff = self._backoff = BackoffLog(self.options)
        try:
            while holding():
                self._new_events.clear()
                try:
                    read = self.publish_next_batch()
                except (PublishError, PersistenceError) as error:
                    self.failures += 1
                    delay = backoff.failed(error, self._lag_if_known())
                    self._stopping.wait(delay)
                    continue
                backoff.succeeded(self.lag() if read else 0)
                if read < self.options.batch_size:
                    self._wait_for_new_events()
        finally:
            self._backoff = None  # a relay standing by is not failing

