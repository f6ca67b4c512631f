"""Reading the last records of one partition: what a topic already holds.

The checkpoint relay (`stream.checkpoint_relay`) asks this before it publishes, after it took
its lease and after a failed batch: the broker may have acknowledged a batch whose position the
relay never got to record (killed in between), and the topic itself is the record of that.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError

from stream.publisher import PublishError

TAIL_RECORDS = 1000
"""How far back from the end of the partition to look."""


def tail_records(bootstrap: str, topic: str, partition: int, timeout_s: float,
                 records: int = TAIL_RECORDS) -> Iterator[ConsumerRecord]:
    """The last `records` records of the partition, oldest first; PublishError when the
    brokers cannot be read within `timeout_s`."""
    consumer: KafkaConsumer | None = None
    try:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), group_id=None,
                                 enable_auto_commit=False, client_id="okr-relay-tail",
                                 request_timeout_ms=int(timeout_s * 1000) + 1000)
        assigned = TopicPartition(topic, partition)
        consumer.assign([assigned])
        end = consumer.end_offsets([assigned])[assigned]
        consumer.seek(assigned, max(0, end - records))
        deadline = time.monotonic() + timeout_s
        while consumer.position(assigned) < end:
            if time.monotonic() > deadline:
                raise PublishError(f"could not read partition {partition} of {topic} to its "
                                   f"end ({end}) within {timeout_s:g} s")
            for batch in consumer.poll(timeout_ms=200).values():
                yield from batch
    except KafkaError as error:
        raise PublishError(f"{type(error).__name__}: {error}") from error
    finally:
        if consumer is not None:
            consumer.close()
