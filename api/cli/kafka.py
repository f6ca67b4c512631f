"""`okr relay` and `okr events consume`: the Kafka stream, published and read back."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from eventsourcing.persistence import PersistenceError

from api.cli.options import DatabaseUrl, DataDir, KafkaBootstrap, KafkaTopic, setting, settings_from
from api.cli.progress import REFRESH_SECONDS, progress
from api.logs import configure_logging
from api.metrics import Metrics, serving_metrics
from api.readiness import assess
from api.status_sources import relay_source
from domain.errors import ValidationError
from stream.consumer import consume_topic
from stream.relay import RelayShards, run_until_stopped
from workflows.settings import BOOTSTRAP_RULE, Settings, env_name


def relay(ctx: typer.Context, data_dir: DataDir = None, database_url: DatabaseUrl = None,
          kafka_bootstrap: KafkaBootstrap = None, kafka_topic: KafkaTopic = None,
          kafka_checkpoint_topic: Annotated[str | None, setting(
              "kafka_checkpoint_topic", "--checkpoint-topic")] = None,
          relay_batch_size: Annotated[int | None, setting("relay_batch_size",
                                                          "--batch-size")] = None,
          relay_poll_interval: Annotated[float | None, setting("relay_poll_interval",
                                                               "--poll-interval")] = None,
          kafka_delivery_timeout_ms: Annotated[int | None, setting(
              "kafka_delivery_timeout_ms", "--delivery-timeout-ms")] = None,
          relay_shards: Annotated[int | None, setting("relay_shards", "--shards")] = None,
          lease_retry_seconds: Annotated[float | None, setting("lease_retry_seconds")] = None
          ) -> None:
    """Publish the event log to Kafka until stopped.

    Several relays may run on one store and topic: for each shard one publishes, the others
    stand by and take over when it stops; the shards spread over the relays started together.
    Each signed checkpoint of the tamper-evident log goes, once, to the checkpoint topic (one
    publisher, whatever the shards).
    """
    settings = settings_from(ctx)
    require(settings, "kafka_bootstrap", "--bootstrap", BOOTSTRAP_RULE)
    configure_logging(settings)
    publishing = RelayShards(settings)
    try:
        with catch_up_shown(publishing), serving_metrics(relay_metrics(publishing), settings):
            run_until_stopped(publishing)
    finally:
        publishing.close()


def relay_metrics(publishing: RelayShards) -> Metrics:
    """The relay's position, lag (and whether it fails) and published count, for
    `OKR_METRICS_PORT`."""
    store = publishing.relays[0].ledger.recorder
    metrics = Metrics(status=lambda: assess(store, [relay_source(publishing.position, publishing.problem)]))
    metrics.watch_relay()
    return metrics


def consume(ctx: typer.Context,
            consumer_group: Annotated[str | None, setting("consumer_group", "--group")] = None,
            kafka_bootstrap: KafkaBootstrap = None, kafka_topic: KafkaTopic = None,
            consumer_max_poll_interval_ms: Annotated[int | None, setting(
                "consumer_max_poll_interval_ms", "--max-poll-interval-ms")] = None,
            exit_when_idle: Annotated[float | None, typer.Option(
                min=0, metavar="SECONDS", show_default="never",
                help="stop once caught up and idle for this long (for scripts)")] = None) -> None:
    """Print progress per owner, built from the Kafka topic.

    The example consumer: it rebuilds its view from the start of the topic and prints it as a
    JSON line whenever it changes.
    """
    settings = settings_from(ctx)
    require(settings, "kafka_bootstrap", "--bootstrap", BOOTSTRAP_RULE)
    require(settings, "consumer_group", "--group", "the consumer group's id")
    final = consume_topic(settings, lambda view: print(json.dumps(view), flush=True),
                          exit_when_idle)
    print(json.dumps(final), flush=True)


def require(settings: Settings, field: str, flag: str, rule: str) -> None:
    if not getattr(settings, field):
        raise ValidationError([(f"{flag} (or {env_name(field)})", f"is required; {rule}")])


@contextmanager
def catch_up_shown(publishing: RelayShards) -> Iterator[None]:
    """While the block runs, show the relay publishing what the log held when it began."""
    try:
        behind = (publishing.position(), publishing.log_end())
    except PersistenceError:
        behind = (0, 0)  # the relay itself logs what is wrong with the store, and retries
    done = threading.Event()
    watcher = threading.Thread(target=_show_catch_up, args=(publishing, *behind, done),
                               daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _show_catch_up(publishing: RelayShards, reached: int, last: int, done: threading.Event) -> None:
    if reached >= last:
        return
    with progress("relay catching up") as report:
        while True:
            report(min(reached, last), last)
            if reached >= last or done.wait(REFRESH_SECONDS):
                return
            try:
                reached = publishing.position()
            except PersistenceError:
                pass
