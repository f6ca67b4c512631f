"""Opening and running the relay that publishes the event log to Kafka (`okr relay`, and the
background parts of `okr serve` / `okr worker`).

Everything comes from `Settings`: the store (OKR_DATA_DIR or OKR_DATABASE_URL, the same as the
API's), the brokers and topic (OKR_KAFKA_BOOTSTRAP, OKR_KAFKA_TOPIC), the relay's pacing and its
shards (OKR_RELAY_SHARDS). A process runs a relay for every shard; each publishes only while
this process holds its shard's lease, so one relay at a time publishes per store, topic and
shard, and the shards spread over the processes running relays.
"""

from __future__ import annotations

import signal
import threading
from functools import partial

from stream.backoff import RelayOptions
from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from stream.shards import Shard, all_shards
from workflows.leases import ShareOut
from workflows.settings import Settings
from workflows.startup import opened

SHARE_PATIENCE_LEASE_RETRIES = 3
"""A process holding a shard waits this many lease retries before taking one more."""


def build_relay(settings: Settings, shard: Shard | None = None,
                share: ShareOut | None = None) -> LogRelay:
    delivery_timeout = settings.kafka_delivery_timeout_ms
    producer = ProducerSettings(settings.kafka_bootstrap, settings.kafka_topic,
                                delivery_timeout_ms=delivery_timeout,
                                request_timeout_ms=min(10_000, delivery_timeout // 2))
    options = RelayOptions(batch_size=settings.relay_batch_size,
                           poll_interval=settings.relay_poll_interval,
                           lease_retry_seconds=settings.lease_retry_seconds,
                           schema_base=settings.schema_base())
    return LogRelay(settings.persistence_env(), producer, options, shard, share)


class RelayShards:
    """A relay for every shard of the topic, each in a thread of this process."""

    def __init__(self, settings: Settings) -> None:
        share = ShareOut(SHARE_PATIENCE_LEASE_RETRIES * settings.lease_retry_seconds)
        self.relays = [opened(partial(build_relay, settings, shard, share), "relay")
                       for shard in all_shards(settings.relay_shards)]
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [threading.Thread(target=relay.run, name=f"okr-relay{relay.shard.suffix()}",
                                          daemon=True) for relay in self.relays]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for relay in self.relays:
            relay.stop()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def close(self) -> None:
        self.stop()
        for relay in self.relays:
            relay.close()

    def position(self) -> int:
        """The position every shard has published up to."""
        return min(relay.position() for relay in self.relays)

    def log_end(self) -> int:
        return self.relays[0].ledger.recorder.max_notification_id() or 0



def run_until_stopped(relays: RelayShards) -> None:
    """Publish until SIGTERM or Ctrl-C, then close the relays."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        relays.start()
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        relays.close()
