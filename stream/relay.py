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
from stream.checkpoint_relay import CheckpointRelay
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
    return LogRelay(settings.persistence_env(), producer_settings(settings, settings.kafka_topic),
                    relay_options(settings), shard, share)


def build_checkpoint_relay(settings: Settings) -> CheckpointRelay:
    return CheckpointRelay(settings.persistence_env(),
                           producer_settings(settings, settings.kafka_checkpoint_topic),
                           relay_options(settings))


def producer_settings(settings: Settings, topic: str) -> ProducerSettings:
    delivery_timeout = settings.kafka_delivery_timeout_ms
    return ProducerSettings(settings.kafka_bootstrap, topic, delivery_timeout_ms=delivery_timeout,
                            request_timeout_ms=min(10_000, delivery_timeout // 2))


def relay_options(settings: Settings) -> RelayOptions:
    return RelayOptions(batch_size=settings.relay_batch_size,
                        poll_interval=settings.relay_poll_interval,
                        lease_retry_seconds=settings.lease_retry_seconds,
                        schema_base=settings.schema_base())


class RelayShards:
    """A relay for every shard of the topic, each in a thread of this process, and the one
    relay of the signed checkpoints (`OKR_KAFKA_CHECKPOINT_TOPIC`, unless empty) beside them."""

    def __init__(self, settings: Settings) -> None:
        share = ShareOut(SHARE_PATIENCE_LEASE_RETRIES * settings.lease_retry_seconds)
        self.relays = [opened(partial(build_relay, settings, shard, share), "relay")
                       for shard in all_shards(settings.relay_shards)]
        self.checkpoints = (opened(partial(build_checkpoint_relay, settings), "checkpoint relay")
                            if settings.kafka_checkpoint_topic else None)
        self._threads: list[threading.Thread] = []

    def _all(self) -> list[LogRelay | CheckpointRelay]:
        return [*self.relays, *([self.checkpoints] if self.checkpoints else [])]

    def start(self) -> None:
        self._threads = [threading.Thread(target=relay.run, name=f"okr-relay{relay.shard.suffix()}",
                                          daemon=True) for relay in self.relays]
        if self.checkpoints is not None:
            self._threads.append(threading.Thread(target=self.checkpoints.run, daemon=True,
                                                  name="okr-checkpoint-relay"))
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for relay in self._all():
            relay.stop()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def close(self) -> None:
        self.stop()
        for relay in self._all():
            relay.close()

    def position(self) -> int:
        """The position every shard has published up to."""
        return min(relay.position() for relay in self.relays)

    def problem(self) -> str | None:
        """Why publishing fails now, naming the topic (and shard), or None while every relay
        of this process publishes, or stands by."""
        for relay in self._all():
            if relay.last_error is not None:
                shard = relay.shard.suffix() if isinstance(relay, LogRelay) else ""
                return f"{relay.topic}{shard}: {relay.last_error}"
        return None

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
