"""Opening and running the relay that publishes the event log to Kafka (`okr relay`).

Everything comes from `Settings`: the store (OKR_DATA_DIR or OKR_DATABASE_URL, the same as the
API's), the brokers and topic (OKR_KAFKA_BOOTSTRAP, OKR_KAFKA_TOPIC) and the relay's pacing.
One relay at a time publishes per store and topic; it runs until stopped.
"""

from __future__ import annotations

import logging
import signal
import time

from eventsourcing.persistence import PersistenceError

from stream.backoff import RelayOptions
from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from workflows.settings import Settings

STARTUP_ATTEMPTS = 10
log = logging.getLogger("okr.relay")


def open_relay(settings: Settings) -> LogRelay:
    """Open the relay, retrying while the store is not ready.

    Relays started together on an empty PostgreSQL database race to create the same tables,
    and the server refuses all but one ("tuple concurrently updated"); a retry finds them made.
    """
    for attempt in range(1, STARTUP_ATTEMPTS):
        try:
            return build_relay(settings)
        except PersistenceError as error:
            log.warning("store not ready (%s); retrying (%d/%d)", error, attempt,
                        STARTUP_ATTEMPTS)
            time.sleep(0.1 * attempt)
    return build_relay(settings)


def build_relay(settings: Settings) -> LogRelay:
    delivery_timeout = settings.kafka_delivery_timeout_ms
    producer = ProducerSettings(settings.kafka_bootstrap, settings.kafka_topic,
                                delivery_timeout_ms=delivery_timeout,
                                request_timeout_ms=min(10_000, delivery_timeout // 2))
    options = RelayOptions(batch_size=settings.relay_batch_size,
                           poll_interval=settings.relay_poll_interval)
    return LogRelay(settings.persistence_env(), producer, options)


def run_until_stopped(relay: LogRelay) -> None:
    """Publish until SIGTERM or Ctrl-C, then close the relay."""
    signal.signal(signal.SIGTERM, lambda *_: relay.stop())
    try:
        relay.run()
    except KeyboardInterrupt:
        pass
    finally:
        relay.close()
