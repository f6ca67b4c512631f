"""Row 5's throughput: relay shards in processes of their own (`benchmarks.relay_shard`),
started at one signal, each run to a new topic, which is read back to check it holds every
event."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from benchmarks.broker import new_topic

PARTITIONS = 6
"""Six, so one, two and three shards get equal shares of partitions."""
SETTINGS: dict[str, dict[str, Any]] = {
    "linger_50ms_1MB": {"linger_ms": 50, "batch_bytes": 1 << 20},
    "gzip": {"compression": "gzip"}, "lz4": {"compression": "lz4"}}
"""Producer settings tried on one shard, beside the defaults (linger 5 ms, 512 kB batches)."""
FETCH_WAIT_MS = 20


def published_by(env: dict[str, str], bootstrap: str, expected: int, shards: int,
                 settings: dict[str, Any] | None = None) -> float:
    """Seconds `shards` relay processes took to publish the log to a new topic, checked."""
    topic = new_topic(bootstrap, PARTITIONS)
    producer = {"bootstrap": bootstrap, "topic": topic, **(settings or {})}
    children = [subprocess.Popen([sys.executable, "-m", "benchmarks.relay_shard"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for _ in range(shards)]
    try:
        for shard, child in enumerate(children):
            talk(child, json.dumps({"env": env, "producer": producer, "shard": shard,
                                    "shards": shards}), "ready")
        started = time.perf_counter()
        for child in children:
            talk(child, "go")
        for child in children:
            json.loads(talk(child))
        seconds = time.perf_counter() - started
    finally:
        for child in children:
            child.kill()
            child.wait()
    check_topic_holds(bootstrap, topic, expected)
    return seconds


def talk(child: subprocess.Popen[str], line: str | None = None, expect: str | None = None) -> str:
    """Send `line` (if any) and read the child's next line unless only sending."""
    assert child.stdin is not None and child.stdout is not None
    if line is not None:
        child.stdin.write(line + "\n")
        child.stdin.flush()
        if expect is None:
            return ""
    answer = child.stdout.readline().strip()
    if expect is not None and answer != expect:
        raise RuntimeError(f"a relay shard said {answer!r}, not {expect!r}")
    return answer


def check_topic_holds(bootstrap: str, topic: str, expected: int) -> None:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False,
                             fetch_max_wait_ms=FETCH_WAIT_MS)
    try:
        assigned(consumer, topic)
        held = distinct_on_topic(consumer, expected)
    finally:
        consumer.close()
    if held != expected:
        raise RuntimeError(f"the topic holds {held} events, not the {expected} published")


def assigned(consumer: KafkaConsumer, topic: str) -> None:
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)


def distinct_on_topic(consumer: KafkaConsumer, expected: int, timeout: float = 60.0) -> int:
    """How many distinct CloudEvent ids the topic holds, read until `expected` or `timeout`.

    Counted by reading: Tansu's end offsets were seen to trail the messages it serves."""
    ids: set[bytes] = set()
    deadline = time.monotonic() + timeout
    while len(ids) < expected and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=200).values():
            ids.update(dict(record.headers)["ce_id"] for record in records)
    return len(ids)
