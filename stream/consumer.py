"""`okr events consume --group NAME`: the example consumer, progress per owner from the topic.

Its view lives in memory, so it never commits offsets: every start of the group replays the
topic from the beginning and rebuilds the view, dropping repeats by CloudEvent id. It prints the
view as one JSON line whenever it changes. Several members of one group share the partitions,
each building the view of the aggregates it was given.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer

from stream.progress_view import ProgressView
from workflows.settings import Settings


def consume(consumer: Any, view: ProgressView, emit: Callable[[dict[str, Any]], None],
            exit_when_idle: float | None = None) -> None:
    """Fold every message into the view, emitting it after each poll that changed it."""
    idle_since = time.monotonic()
    while True:
        batches = consumer.poll(timeout_ms=200)
        changed = [view.apply(json.loads(record.value))
                   for records in batches.values() for record in records]
        if changed:
            idle_since = time.monotonic()
        if any(changed):
            emit(snapshot(view))
        if (exit_when_idle is not None and time.monotonic() - idle_since >= exit_when_idle
                and caught_up(consumer)):
            return


def caught_up(consumer: Any) -> bool:
    """Whether the consumer has partitions and has read each of them to its end."""
    assigned = list(consumer.assignment())
    if not assigned:
        return False
    ends = consumer.end_offsets(assigned)
    return all(consumer.position(partition) >= ends[partition] for partition in assigned)


def snapshot(view: ProgressView) -> dict[str, Any]:
    return {"owners": view.by_owner(), "events": len(view.seen_ids),
            "duplicates_dropped": view.duplicates}


def open_consumer(settings: Settings) -> KafkaConsumer:
    """A member of `settings.consumer_group` that never commits offsets (see above)."""
    max_poll_interval = settings.consumer_max_poll_interval_ms
    return KafkaConsumer(
        settings.kafka_topic, bootstrap_servers=settings.kafka_bootstrap.split(","),
        group_id=settings.consumer_group, enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_interval_ms=max_poll_interval,
        session_timeout_ms=min(10_000, max_poll_interval),
        heartbeat_interval_ms=min(3_000, max_poll_interval // 3))


def consume_topic(settings: Settings, emit: Callable[[dict[str, Any]], None],
                  exit_when_idle: float | None = None) -> dict[str, Any]:
    """Build the view from the topic until idle (or Ctrl-C); the view's final snapshot."""
    consumer, view = open_consumer(settings), ProgressView()
    try:
        consume(consumer, view, emit, exit_when_idle)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return snapshot(view)
