"""The relay delivers every event, once, in order per aggregate, matching its schema, and
resumes after a SIGKILL."""

from __future__ import annotations

from collections import defaultdict

import pytest
from jsonschema import Draft202012Validator

from stream.backoff import RelayOptions
from stream.cloudevents import read_feed
from stream.event_schemas import load_schemas
from stream.publisher import ProducerSettings
from stream.tracking import publishing_lag
from tests.kafka.lifecycle import every_kind_of_event
from tests.kafka.support import (
    EventWriter,
    RelayProcess,
    cloudevents,
    ids,
    make_store,
    relay_in_thread,
)
from tests.kafka_broker import wait_for
from workflows.ledger import OKRLedger


def feed(ledger: OKRLedger) -> list[dict]:
    return read_feed(ledger.recorder, ledger.mapper, after=0, limit=1_000_000)[0]


def versions_by_aggregate(records: list) -> dict[str, list[int]]:
    """Each key's data.version in the order its partition holds them."""
    found: dict[str, list[int]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        found[record.key.decode()].append(cloudevents([record])[0]["data"]["version"])
    return found


def test_every_event_arrives_once_keyed_and_in_order_per_aggregate(store, kafka, topic, reader):
    ledger = store.ledger()
    every_kind_of_event(ledger)
    writer = EventWriter(ledger)
    writer.write(30)

    with relay_in_thread(store.env, ProducerSettings(kafka, topic)) as relay:
        writer.write(30)
        expected = feed(ledger)
        records = reader.read_until(lambda got: ids(got) >= {e["id"] for e in expected}, 60,
                                    "every event of the log on the topic")
        wait_for(lambda: relay.lag() == 0, 60, "the relay to report no lag")

    assert sorted(cloudevents(records), key=lambda e: e["position"]) == expected
    for aggregate, versions in versions_by_aggregate(records).items():
        assert versions == sorted(versions) and len(set(versions)) == len(versions), aggregate
    schemas = load_schemas()
    for record, event in zip(records, cloudevents(records), strict=True):
        Draft202012Validator(schemas[event["type"]]).validate(event["data"])
        assert record.key.decode() == event["subject"]
        assert dict(record.headers) == {"content-type": b"application/cloudevents+json"}
        assert event["dataschema"].endswith(f"/v1/events/schemas/{event['type']}")
    ledger.close()


def test_a_killed_relay_resumes_in_order_and_repeats_only_the_unacknowledged_tail(
        store, kafka, topic, reader, tmp_path):
    ledger = store.ledger()
    writer = EventWriter(ledger)
    first = RelayProcess(store, kafka, topic, tmp_path / "first.log", batch_size=20)
    try:
        writer.write(60)
        reader.read_until(lambda got: len(got) >= 20, 60, "the first relay to publish")
        writer.write(60)
        first.kill()
    finally:
        first.stop()
    acknowledged = ledger.recorder.max_notification_id() - publishing_lag(store.env, topic)
    writer.write(60)

    second = RelayProcess(store, kafka, topic, tmp_path / "second.log", batch_size=20)
    try:
        expected = feed(ledger)
        records = reader.read_until(lambda got: ids(got) >= {e["id"] for e in expected}, 60,
                                    "every event after the restart")
        wait_for(lambda: publishing_lag(store.env, topic) == 0, 60, "the lag to reach 0")
    finally:
        second.stop()

    events = cloudevents(records)
    repeated = [e for e in events if sum(1 for o in events if o["id"] == e["id"]) > 1]
    assert {e["id"] for e in events} == {e["id"] for e in expected}
    assert all(e["position"] > acknowledged for e in repeated)
    assert len({e["id"] for e in repeated}) <= 20  # at most the one batch in flight
    for aggregate, versions in versions_by_aggregate(records).items():
        first_seen = list(dict.fromkeys(versions))
        assert first_seen == sorted(first_seen), aggregate
    ledger.close()


def test_the_lag_counts_positions_the_broker_has_not_acknowledged(store, kafka, topic):
    ledger = store.ledger()
    EventWriter(ledger, objectives=1).write(5)
    assert publishing_lag(store.env, topic) == ledger.recorder.max_notification_id()

    with relay_in_thread(store.env, ProducerSettings(kafka, topic)) as relay:
        wait_for(lambda: relay.lag() == 0, 60, "the relay to catch up")
        assert relay.position() == ledger.recorder.max_notification_id()
    ledger.close()




@pytest.mark.postgres
def test_on_postgresql_the_idle_relay_is_woken_by_new_events_not_by_its_poll(tmp_path, kafka,
                                                                             topic, reader):
    """With a poll interval of an hour, only LISTEN/NOTIFY can bring a new event out at once
    (SQLite cannot subscribe in eventsourcing 9.5, so there the poll is all there is)."""
    with make_store("postgres", tmp_path) as store:
        ledger = store.ledger()
        writer = EventWriter(ledger)
        writer.write(3)
        options = RelayOptions(poll_interval=3600)
        with relay_in_thread(store.env, ProducerSettings(kafka, topic), options) as relay:
            wait_for(lambda: relay.listener.listening, 60, "the relay to listen")
            wait_for(lambda: relay.lag() == 0, 60, "the relay to publish what was there")
            writer.write(2)
            expected = {e["id"] for e in feed(ledger)}
            reader.read_until(lambda got: ids(got) >= expected, 10, "the new events on the topic")
        ledger.close()
