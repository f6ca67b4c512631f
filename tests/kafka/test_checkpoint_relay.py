"""The relay publishes every signed checkpoint once to its own topic: in order, keyed by the
log's origin, whatever the event relay's shards, and not again after a restart, even one that
lost the relay's recorded position."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from domain.rules import MethodologyRules
from integrity.service import IntegrityService
from stream.checkpoint_relay import CHECKPOINT_TYPE, CheckpointRelay
from stream.relay import RelayShards, build_checkpoint_relay
from tests.builders import active, open_cycle
from tests.kafka_broker import TopicReader, create_topic, wait_for
from tests.people import with_people
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import Settings

SIGNED_EVERY = 4


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path, kafka: str) -> Iterator[Settings]:
    """A store whose relay sends events to one new topic and checkpoints to another, in two
    shards."""
    sqlite = Settings(data_dir=tmp_path, database_url="", kafka_bootstrap=kafka,
                      kafka_topic=create_topic(kafka), kafka_checkpoint_topic=create_topic(kafka),
                      relay_shards=2, relay_poll_interval=0.02, lease_retry_seconds=0.2,
                      checkpoint_every=SIGNED_EVERY)
    if request.param == "sqlite":
        yield sqlite
    else:
        with postgres_database() as url:
            yield sqlite.model_copy(update={"database_url": url})


@contextmanager
def relays(settings: Settings) -> Iterator[RelayShards]:
    shards = RelayShards(settings)
    shards.start()
    try:
        yield shards
    finally:
        shards.close()


def sign_more(settings: Settings, objectives: int = 1) -> list[tuple[int, str]]:
    """Write a few objectives, seal and sign them; every checkpoint signed so far."""
    with OKRLedger(with_people(settings.persistence_env()), rules=MethodologyRules()) as ledger, \
            IntegrityService(settings, ledger.recorder) as integrity:
        cycle_id = open_cycle(ledger)
        for number in range(objectives):
            active(ledger, cycle_id, title=f"O{number}")
        integrity.checkpoint_now()
        return [(c.tree_size, c.note) for c in integrity.checkpoints(0, 1000)]


ENVELOPE = Draft202012Validator(
    yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml").read_text())
    ["components"]["schemas"]["CheckpointEvent"], format_checker=FormatChecker())


def published(reader: TopicReader, count: int) -> list[dict]:
    """The checkpoints on the topic once there are `count`, each as docs/asyncapi.yaml says."""
    records = reader.read_until(lambda got: len(got) >= count, 60, f"{count} checkpoints")
    events = [json.loads(record.value) for record in records]
    for event in events:
        ENVELOPE.validate(event)
    assert {record.key for record in records} == {events[0]["subject"].encode()}
    assert {dict(record.headers)["content-type"] for record in records} == {
        b"application/cloudevents+json"}
    return events


def test_every_checkpoint_is_published_once_in_order_by_one_publisher(settings, kafka):
    signed = sign_more(settings, objectives=2)
    assert len(signed) >= 3
    reader = TopicReader(kafka, settings.kafka_checkpoint_topic)
    try:
        with relays(settings), relays(settings):  # two processes' worth of relays, two shards
            events = published(reader, len(signed))
            assert [(e["data"]["tree_size"], e["data"]["note"]) for e in events] == signed
            assert {e["type"] for e in events} == {CHECKPOINT_TYPE}
            assert events[0]["subject"] == settings.log_origin
            assert base64.b64decode(events[-1]["data"]["root_hash"]) and \
                events[-1]["data"]["note"].startswith(f"{settings.log_origin}\n{signed[-1][0]}\n")
            assert len({e["id"] for e in events}) == len(events)

            more = sign_more(settings)
            events = published(reader, len(more))
            assert [e["data"]["tree_size"] for e in events] == [size for size, _ in more]
        reader.consumer.poll(timeout_ms=500)  # anything sent twice would be here by now
        assert len(reader.records) == len(more)
    finally:
        reader.close()


def test_a_restart_that_lost_its_position_does_not_publish_again(settings, kafka):
    signed = sign_more(settings)
    reader = TopicReader(kafka, settings.kafka_checkpoint_topic)
    try:
        with relays(settings) as first:
            published(reader, len(signed))
            assert first.checkpoints is not None
            wait_for(lambda: first.checkpoints.position() == signed[-1][0], 30,
                     "the relay to record what the broker acknowledged")
        forget_position(settings)
        more = sign_more(settings)
        with relays(settings) as second:
            events = published(reader, len(more))
            assert second.checkpoints is not None
            wait_for(lambda: second.checkpoints.position() == more[-1][0], 30,
                     "the relay to publish the new checkpoint")
        reader.consumer.poll(timeout_ms=500)
        sizes = [json.loads(record.value)["data"]["tree_size"] for record in reader.records]
        assert sizes == [size for size, _ in more], "a checkpoint was published twice"
        assert len(events) == len(more)
    finally:
        reader.close()


def forget_position(settings: Settings) -> None:
    """As if the relay died after the broker acknowledged, before it recorded the position."""
    relay = build_checkpoint_relay(settings)
    try:
        erase_tracking(relay)
    finally:
        relay.close()


def erase_tracking(relay: CheckpointRelay) -> None:
    tracking: Any = relay.tracking  # the library's SQLite or PostgreSQL recorder
    table = getattr(tracking, "tracking_table_name", "tracking")
    schema = getattr(tracking.datastore, "schema", None)
    name = f'"{schema}"."{table}"' if schema else table
    with tracking.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DELETE FROM {name} WHERE application_name = "
                       f"{'%s' if schema else '?'}", [relay.tracking_name])
    assert relay.position() == 0
