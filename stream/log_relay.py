"""`LogRelay`: follows the event log from its tracked position and publishes it to Kafka.

The tracked position lives in the event store's own database (the eventsourcing library's
TrackingRecorder) and is written only after the broker acknowledged a batch: after a crash the
relay re-sends at most the batch that was in flight, and consumers drop those repeats by the
CloudEvent id. It reads every notification, internal ones included, so the cursor and the lag
cover the whole log. Both stores make notifications visible in id order (SQLite has one
writer; the library's PostgreSQL recorder locks the table to insert), so a cursor never passes
an event that is still to commit.

When idle it waits to be woken: on PostgreSQL by the library's LISTEN/NOTIFY subscription
(`workflows.log_listener`, which wakes the views too), with a look every 30 s in case a
notification was missed; on SQLite, whose recorder cannot subscribe in eventsourcing 9.5, it
polls every `poll_interval` (0.05 s, one indexed select).
"""

from __future__ import annotations

import logging
import threading

import psycopg
from eventsourcing.persistence import PersistenceError, Tracking

from stream.backoff import BackoffLog, RelayOptions
from stream.cloudevents import to_cloudevent
from stream.lock import publisher_lock
from stream.publisher import ProducerSettings, Publisher, PublishError
from stream.tracking import tracking_name, tracking_store
from workflows.ledger import OKRLedger
from workflows.log_listener import LogListener

log = logging.getLogger("okr.relay")
LISTENING_IDLE_CHECK_SECONDS = 30.0
RESUBSCRIBE_SECONDS = 1.0


class LogRelay:
    def __init__(self, env: dict[str, str], producer: ProducerSettings,
                 options: RelayOptions | None = None) -> None:
        self.options = options or RelayOptions()
        self.topic = producer.topic
        self.ledger = OKRLedger(env)
        self._tracking_store = tracking_store(env)
        self.tracking = self._tracking_store.tracking_recorder()
        self.tracking_name = tracking_name(self.topic)
        self.publisher = Publisher(producer)
        self.lock = publisher_lock(env, self.topic)
        self.failures = 0
        self.published = 0
        self._stopping = threading.Event()
        self._new_events = threading.Event()
        self.listener = LogListener(self.ledger.recorder, self._new_events.set,
                                    retry_interval=RESUBSCRIBE_SECONDS)

    def position(self) -> int:
        """The last log position the broker acknowledged."""
        return self.tracking.max_tracking_id(self.tracking_name) or 0

    def lag(self) -> int:
        """How many log positions are not yet acknowledged by the broker."""
        return (self.ledger.recorder.max_notification_id() or 0) - self.position()

    def publish_next_batch(self) -> int:
        """Publish the next batch after the tracked position; return how many positions it read."""
        after = self.position()
        notifications = self.ledger.recorder.select_notifications(
            start=after, limit=self.options.batch_size, inclusive_of_start=False)
        if not notifications:
            return 0
        events = [to_cloudevent(n, self.ledger.mapper) for n in notifications]
        published = [e for e in events if e is not None]
        if published:
            self.publisher.publish(published)
            self.published += len(published)
        self.tracking.insert_tracking(Tracking(self.tracking_name, notifications[-1].id))
        log.debug("published %d events up to position %d", len(published), notifications[-1].id)
        return len(notifications)

    def run(self) -> None:
        """Wait to hold the publisher lock, then publish until stopped or the lock is lost."""
        log.info("relay for topic %s started; waiting for the publisher lock", self.topic)
        self.listener.start()
        while not self._stopping.is_set():
            if self._acquire_lock():
                log.info("acquired the publisher lock; publishing from position %d",
                         self.position())
                try:
                    self._publish_while_holding_lock()
                finally:
                    self.lock.release()
            else:
                self._stopping.wait(max(self.options.poll_interval, 0.2))

    def stop(self) -> None:
        self._stopping.set()
        self._new_events.set()

    def _acquire_lock(self) -> bool:
        try:
            return self.lock.acquire()
        except psycopg.Error as error:
            log.error("cannot reach the database to take the publisher lock: %s", error)
            return False

    def close(self) -> None:
        self.stop()
        self.listener.stop()
        self.publisher.reset()
        self.lock.release()
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

    def _publish_while_holding_lock(self) -> None:
        backoff = BackoffLog(self.options)
        while not self._stopping.is_set() and self.lock.still_held():
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
        if not self._stopping.is_set():
            log.warning("lost the publisher lock; back to standby")

