"""`okr events consume --group NAME`: the example consumer, progress per owner from the topic.

    python -m stream.consumer --group progress --bootstrap localhost:9092

Its view lives in memory, so it never commits offsets: every start of the group replays the
topic from the beginning and rebuilds the view, dropping repeats by CloudEvent id. It prints the
view as one JSON line whenever it changes. Several members of one group share the partitions,
each building the view of the aggregates it was given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer

from stream.progress_view import ProgressView
from stream.relay import BOOTSTRAP_ENTRY, DEFAULT_TOPIC


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="okr events consume", description=__doc__.splitlines()[0])
    parser.add_argument("--group", required=True, help="consumer group id")
    parser.add_argument("--bootstrap", default=os.environ.get("OKR_KAFKA_BOOTSTRAP"),
                        help="host:port[,host:port] (env OKR_KAFKA_BOOTSTRAP)")
    parser.add_argument("--topic", default=os.environ.get("OKR_KAFKA_TOPIC", DEFAULT_TOPIC))
    parser.add_argument("--max-poll-interval-ms", type=int, default=300_000)
    parser.add_argument("--exit-when-idle", type=float, default=None, metavar="SECONDS",
                        help="stop once caught up and idle for this long (for scripts)")
    args = parser.parse_args(argv)
    if not args.bootstrap or not all(BOOTSTRAP_ENTRY.fullmatch(entry)
                                     for entry in args.bootstrap.split(",")):
        parser.error(f"--bootstrap (or OKR_KAFKA_BOOTSTRAP) must be host:port[,host:port], "
                     f"e.g. localhost:9092; got {args.bootstrap!r}")
    if args.max_poll_interval_ms < 1000 or (args.exit_when_idle or 0) < 0:
        parser.error("--max-poll-interval-ms must be >= 1000 and --exit-when-idle >= 0")
    return args


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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    consumer = KafkaConsumer(
        args.topic, bootstrap_servers=args.bootstrap.split(","), group_id=args.group,
        enable_auto_commit=False, auto_offset_reset="earliest",
        max_poll_interval_ms=args.max_poll_interval_ms,
        session_timeout_ms=min(10_000, args.max_poll_interval_ms),
        heartbeat_interval_ms=min(3_000, args.max_poll_interval_ms // 3))
    view = ProgressView()
    try:
        consume(consumer, view, lambda state: print(json.dumps(state), flush=True),
                args.exit_when_idle)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    print(json.dumps(snapshot(view)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
