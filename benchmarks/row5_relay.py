"""Row 5: the Kafka relay, log to broker (events/s) and append-to-consumed latency (p99).

A real broker (`benchmarks.broker`: Tansu on a free loopback port, or KAFKA_BOOTSTRAP_SERVERS)
and a topic of three partitions. The store gets about `relay_events` events (untimed, by
`benchmarks.population`). Then:

- throughput: the relay publishes the whole log batch by batch (`publish_next_batch`: read,
  encode, send, wait for every acknowledgement, then track the position), as it does catching
  up after an outage, each shard in a process of its own (`benchmarks.relay_shard`), all
  started at one signal, to a new topic of `PARTITIONS` partitions each time. The figure is
  events on the topic per second with two shards (two processes, the deployable way past one
  process's ceiling); one shard, and one shard under other producer settings (linger and batch
  size, gzip and lz4 compression), are in extras. After each run the topic is read back
  (untimed) and the run fails unless it holds every event.
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

from kafka import KafkaConsumer

from benchmarks.broker import broker, new_topic
from benchmarks.population import open_cycle, populate
from benchmarks.relay_throughput import (
    FETCH_WAIT_MS,
    PARTITIONS,
    SETTINGS,
    assigned,
    distinct_on_topic,
    published_by,
)
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


def published_count(ledger: OKRLedger) -> int:
    notifications = ledger.recorder.select_notifications(start=1, limit=10**9)
    return sum(1 for n in notifications if cloudevent_type(n.topic) is not None)


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
        expected = published_count(ledger)
        rates = {f"{shards}_shards": expected / published_by(env, bootstrap, expected, shards)
                 for shards in (1, 2)}
        for name, settings in SETTINGS.items():
            rates[f"1_shard_{name}"] = expected / published_by(env, bootstrap, expected, 1,
                                                                settings)
        found = latency(env, ledger, bootstrap, made, sizes.relay_latency)
    ms = 1000.0
    return Outcome(measured=Figure(rates["2_shards"], "events/s"),
                   extras={"p99_ms": percentile(found, 0.99) * ms,
                           "p50_ms": median(found) * ms, "max_ms": max(found) * ms,
                           "events": expected, "partitions": PARTITIONS,
                           **{f"{name}_events_per_s": round(rate) for name, rate in rates.items()},
                           "latency_events": len(found), "write_rate_per_s": LATENCY_RATE})


def latency(env: dict[str, str], ledger: OKRLedger, bootstrap: str, made: list,
            count: int) -> list[float]:
    """Append-to-consumed latencies of `count` check-ins, the relay running as deployed."""
    topic = new_topic(bootstrap, PARTITIONS)
    relay = LogRelay(env, ProducerSettings(bootstrap, topic))
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False,
                             fetch_max_wait_ms=FETCH_WAIT_MS)
    try:
        while relay.publish_next_batch():  # the backlog first: latency is of new events
            pass
        assigned(consumer, topic)
        distinct_on_topic(consumer, published_count(ledger))
        return latencies(relay, ledger, made, consumer, count)
    finally:
        consumer.close()
        relay.close()


ROW = Row(
    number=5,
    what="relay: events from log to broker (Tansu), and append-to-consumed latency",
    baseline="none",
    targets=(Target("measured", ">=", 20_000, "events/s"), Target("p99_ms", "<=", 500, "ms")),
    run=run,
    shown=("1_shards_events_per_s", "2_shards_events_per_s", "p99_ms"),
)
