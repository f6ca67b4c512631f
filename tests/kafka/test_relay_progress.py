"""`okr relay` started behind the log says how far its catch-up got, until it has caught up."""

from __future__ import annotations

from tests.kafka.support import EventWriter, RelayProcess, ids
from tests.kafka_broker import wait_for


def test_a_relay_behind_the_log_reports_its_catch_up_to_the_last_position(
        store, kafka, topic, reader, tmp_path):
    ledger = store.ledger()
    EventWriter(ledger).write(120)
    last = ledger.recorder.max_notification_id()
    relay = RelayProcess(store, kafka, topic, tmp_path / "relay.log", batch_size=10)
    try:
        reader.read_until(lambda got: len(ids(got)) >= 120, 60, "the log on the topic")
        wait_for(lambda: f"relay catching up: position {last} of {last}" in relay.log(), 60,
                 "the relay to report that it caught up")
    finally:
        relay.stop()
        ledger.close()
    assert relay.log().count("relay catching up:") >= 2
