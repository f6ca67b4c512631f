"""The relay through a broker outage, and one publisher among several relays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stream.backoff import RelayOptions
from stream.cloudevents import read_feed
from stream.publisher import ProducerSettings
from tests.kafka.support import (
    EventWriter,
    RelayProcess,
    Store,
    cloudevents,
    ids,
    make_store,
    relay_in_thread,
)
from tests.kafka_broker import TopicReader, create_topic, wait_for


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with make_store("sqlite", tmp_path) as made:
        yield made


def expected_ids(store: Store) -> set[str]:
    ledger = store.ledger()
    try:
        return {e["id"] for e in read_feed(ledger.recorder, ledger.mapper, 0, 1_000_000)[0]}
    finally:
        ledger.close()


def test_events_written_while_the_broker_is_unreachable_arrive_when_it_returns(
        sqlite_store, proxied_broker):
    bootstrap, proxy = proxied_broker
    topic = create_topic(bootstrap)
    reader = TopicReader(bootstrap, topic)
    ledger = sqlite_store.ledger()
    writer = EventWriter(ledger)
    producer = ProducerSettings(bootstrap, topic, delivery_timeout_ms=1500,
                                request_timeout_ms=500)
    # Batches of 10: the 40 events written during the outage are full batches, so the relay
    # reads the next batch ahead while the one the broker never acknowledges is in flight,
    # and must not use it when it starts that batch again.
    options = RelayOptions(poll_interval=0.02, max_backoff=0.5, batch_size=10)
    with relay_in_thread(sqlite_store.env, producer, options) as relay:
        reader.read_until(lambda got: ids(got) >= expected_ids(sqlite_store), 60,
                          "the events written before the outage")
        proxy.cut()
        writer.write(40)
        wait_for(lambda: relay.failures >= 2, 60, "the relay to fail and retry")
        assert relay.lag() > 0
        proxy.restore()
        records = reader.read_until(lambda got: ids(got) >= expected_ids(sqlite_store), 60,
                                    "every event once the broker is back")
        wait_for(lambda: relay.lag() == 0, 60, "the relay to catch up")
    reader.close()
    ledger.close()
    assert ids(records) == expected_ids(sqlite_store)


def test_only_one_of_two_relays_publishes_and_the_other_takes_over_when_it_dies(
        store, kafka, topic, reader, tmp_path):
    ledger = store.ledger()
    writer = EventWriter(ledger)
    relays = [RelayProcess(store, kafka, topic, tmp_path / f"relay{n}.log") for n in (1, 2)]
    try:
        wait_for(lambda: any(r.is_publisher() for r in relays), 60, "one relay to take the lock")
        writer.write(30)
        records = reader.read_until(lambda got: ids(got) >= expected_ids(store), 60,
                                    "every event from the publishing relay")
        assert len(cloudevents(records)) == len(ids(records))  # nobody published twice
        leader, standby = sorted(relays, key=lambda r: not r.is_publisher())
        assert not standby.is_publisher()

        leader.kill()
        writer.write(30)
        wait_for(standby.is_publisher, 60, "the standby to take over")
        reader.read_until(lambda got: ids(got) >= expected_ids(store), 60,
                          "the events written after the takeover")
    finally:
        for relay in relays:
            relay.stop()
        ledger.close()
