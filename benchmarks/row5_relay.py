"""Row 5: the Kafka relay, log to broker (events/s) and append-to-consumed latency (p99).

A real broker (`benchmarks.broker`: Tansu on a free loopback port, or KAFKA_BOOTSTRAP_SERVERS)
and a topic of three partitions. The store gets about `relay_events` events (untimed, by
`benchmarks.population`). Then:

- throughput: one `LogRelay` publishes the whole log batch by batch (`publish_next_batch`:
  read, encode, send, wait for every acknowledgement, then track the position), as it does
  catching up after an outage. The figure is events on the topic per second; the topic's end
  events are then read back (untimed) to check the topic holds every one of them.
- latency: the relay then runs as deployed (`LogRelay.run()` in a thread, polling the log every
  50 ms) while this process makes `relay_latency` check-ins through `OKRLedger.check_in` at
  `LATENCY_RATE` per second, and a consumer (assigned every partition, already at the end)
  takes each one's latency: the moment it was consumed minus its CloudEvent `time`, set when
  the command recorded the event. Writer, relay and consumer share this process and its GIL.
  The consumer asks the broker to answer a fetch within `FETCH_WAIT_MS` (kafka-python's default
  of 500 ms would be measured as latency, since Tansu holds a fetch that long).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime

from kafka import KafkaConsumer, TopicPartition

from benchmarks.broker import broker, new_topic
from benchmarks.population import open_cycle, populate
from benchmarks.sizes import Sizes
from benchmarks.spec import Figure, Outcome, Row, Target
from benchmarks.stores import Store
from benchmarks.timing import median, percentile
from stream.cloudevents import cloudevent_type
from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from workflows.ledger import OKRLedger

LATENCY_RATE = 200.0
CHECKED_IN = "okr.objective.checked_in"
FETCH_WAIT_MS = 20


def published_count(ledger: OKRLedger) -> int:
    notifications = ledger.recorder.select_notifications(start=1, limit=10**9)
    return sum(1 for n in notifications if cloudevent_type(n.topic) is not None)


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


def consume_latencies(consumer: KafkaConsumer, expected: int, timeout: float) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + timeout
    while len(latencies) < expected and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=50).values():
            now = datetime.now(UTC)
            for record in records:
                event = json.loads(record.value)
                if event["type"] == CHECKED_IN:
                    latencies.append((now - datetime.fromisoformat(event["time"])).total_seconds())
    return latencies


def write_paced(ledger: OKRLedger, made: list, count: int) -> None:
    started = time.monotonic()
    for number in range(count):
        time.sleep(max(0.0, started + number / LATENCY_RATE - time.monotonic()))
        target = made[number % len(made)]
        ledger.check_in(target.owner, target.objective_id, target.key_result_id,
                        value=number % 100, confidence=0.5)


def latencies(relay: LogRelay, ledger: OKRLedger, made: list, consumer: KafkaConsumer,
              count: int) -> list[float]:
    running = threading.Thread(target=relay.run, name="bench-relay", daemon=True)
    running.start()
    try:
        writer = threading.Thread(target=write_paced, args=(ledger, made, count), daemon=True)
        writer.start()
        found = consume_latencies(consumer, count, timeout=count / LATENCY_RATE + 30)
        writer.join()
    finally:
        relay.stop()
        running.join(timeout=30)
    if len(found) != count:
        raise RuntimeError(f"consumed {len(found)} of {count} check-ins")
    return found


def run(store: Store, sizes: Sizes) -> Outcome:
    with broker() as bootstrap, store.fresh() as env, OKRLedger(env) as ledger:
        made = populate(ledger, open_cycle(ledger), max(1, sizes.relay_events // 100), 95)
        expected, topic = published_count(ledger), new_topic(bootstrap)
        relay = LogRelay(env, ProducerSettings(bootstrap, topic))
        consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False,
                                 fetch_max_wait_ms=FETCH_WAIT_MS)
        try:
            started = time.perf_counter()
            while relay.publish_next_batch():
                pass
            seconds = time.perf_counter() - started
            assigned(consumer, topic)
            held = distinct_on_topic(consumer, expected)
            if held != expected:
                raise RuntimeError(f"the topic holds {held} events, not the {expected} published")
            found = latencies(relay, ledger, made, consumer, sizes.relay_latency)
        finally:
            consumer.close()
            relay.close()
    ms = 1000.0
    return Outcome(measured=Figure(expected / seconds, "events/s"),
                   extras={"p99_ms": percentile(found, 0.99) * ms,
                           "p50_ms": median(found) * ms, "max_ms": max(found) * ms,
                           "events": expected, "publish_s": round(seconds, 2),
                           "latency_events": len(found), "write_rate_per_s": LATENCY_RATE})


ROW = Row(
    number=5,
    what="relay: events from log to broker (Tansu), and append-to-consumed latency",
    baseline="none",
    targets=(Target("measured", ">=", 20_000, "events/s"), Target("p99_ms", "<=", 500, "ms")),
    run=run,
)
