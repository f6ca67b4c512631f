"""The relay sharded by partition: each shard publishes its own partitions from its own
position, together every event once and in order per aggregate; a new layout of shards starts
where the old one had certainly got to."""

from __future__ import annotations

from contextlib import ExitStack

from kafka.partitioner.default import murmur2

from stream.cloudevents import read_feed
from stream.publisher import ProducerSettings
from stream.shards import Shard
from tests.kafka.support import EventWriter, cloudevents, ids, relay_in_thread
from tests.kafka_broker import wait_for
from workflows.ledger import OKRLedger


def feed_ids(ledger: OKRLedger) -> set[str]:
    return {e["id"] for e in read_feed(ledger.recorder, ledger.mapper, 0, 1_000_000)[0]}


def test_two_shards_publish_every_event_once_each_on_its_own_partitions(
        store, kafka, topic, reader):
    ledger = store.ledger()
    writer = EventWriter(ledger, objectives=8)
    writer.write(40)
    producer = ProducerSettings(kafka, topic)
    with ExitStack() as running:
        shards = [running.enter_context(relay_in_thread(store.env, producer, shard=Shard(n, 2)))
                  for n in range(2)]
        writer.write(40)
        wanted = feed_ids(ledger)
        records = reader.read_until(lambda got: ids(got) >= wanted, 60, "every event")
        wait_for(lambda: all(shard.lag() == 0 for shard in shards), 60, "both shards")
        assert shards[0].position() == shards[1].position()

    assert sorted(ids(records)) == sorted(event["id"] for event in cloudevents(records))
    partitions_used = {record.partition for record in records}
    keys_partitions = {(murmur2(record.key) & 0x7FFFFFFF) % 3 for record in records}
    assert partitions_used == keys_partitions, "each event on its key's partition"
    assert len(partitions_used) > 1, "the writer's objectives span more than one partition"
    by_key: dict[bytes, list[int]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_key.setdefault(record.key, []).append(cloudevents([record])[0]["data"]["version"])
    assert all(versions == sorted(versions) for versions in by_key.values())


def test_a_new_layout_of_shards_starts_where_the_unsharded_relay_got_to(
        store, kafka, topic, reader):
    ledger = store.ledger()
    writer = EventWriter(ledger)
    writer.write(20)
    producer = ProducerSettings(kafka, topic)
    with relay_in_thread(store.env, producer) as whole:
        wait_for(lambda: whole.lag() == 0, 60, "the unsharded relay")
    published_before = feed_ids(ledger)
    writer.write(20)
    with ExitStack() as running:
        shards = [running.enter_context(relay_in_thread(store.env, producer, shard=Shard(n, 2)))
                  for n in range(2)]
        wanted = feed_ids(ledger)
        records = reader.read_until(lambda got: ids(got) >= wanted, 60, "every event")
        wait_for(lambda: all(shard.lag() == 0 for shard in shards), 60, "both shards")

    sent = [event["id"] for event in cloudevents(records)]
    assert len(sent) == len(set(sent)) == len(wanted)
    assert published_before < wanted
