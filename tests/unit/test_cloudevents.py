"""The CloudEvents feed: stable ids, types, positions, and internal events kept out."""

import hashlib
import uuid

from stream.cloudevents import EVENT_TYPES, event_id, read_feed
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER


def test_feed_lists_published_events_in_log_order_with_stable_ids(ledger):
    objective_id = active(ledger, open_cycle(ledger))
    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=5, confidence=0.9)

    events, next_after = read_feed(ledger.recorder, ledger.mapper, after=0, limit=100)
    again, _ = read_feed(ledger.recorder, ledger.mapper, after=0, limit=100)

    assert [e["type"] for e in events] == [
        "okr.cycle.opened", "okr.cycle.started", "okr.objective.drafted",
        "okr.objective.key_result_added", "okr.objective.submitted", "okr.objective.approved",
        "okr.objective.checked_in"]
    assert [e["id"] for e in events] == [e["id"] for e in again]
    assert len({e["id"] for e in events}) == len(events)
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    assert next_after == ledger.recorder.max_notification_id()
    checked_in = events[-1]
    assert checked_in["subject"] == objective_id and checked_in["actor"] == OWNER.name
    assert checked_in["data"]["value"] == 5 and checked_in["data"]["state"] == "active"
    assert checked_in["specversion"] == "1.0"


def test_feed_pages_resume_from_the_cursor_without_gaps_or_repeats(ledger):
    active(ledger, open_cycle(ledger))
    everything, _ = read_feed(ledger.recorder, ledger.mapper, after=0, limit=100)

    paged, cursor = [], 0
    while True:
        page, cursor_next = read_feed(ledger.recorder, ledger.mapper, after=cursor, limit=2)
        if cursor_next == cursor:
            break
        paged += page
        cursor = cursor_next

    assert paged == everything


def test_every_event_class_of_the_domain_has_a_cloudevent_type():
    assert "okr.objective.checked_in" in EVENT_TYPES
    assert not any(t.endswith(".created") or t.endswith(".snapshot") for t in EVENT_TYPES)
    assert len(EVENT_TYPES) == 23


def test_event_ids_are_the_uuid5_of_position_aggregate_version_topic_and_content():
    for number in range(200):
        aggregate_id = uuid.UUID(int=number * 104_729 + 1)
        version, position, state = number % 17 + 1, number * 3 + 1, f"{{{number}}}".encode()
        name = (f"okr-ledger:event:{position}:{aggregate_id}:{version}:t:"
                f"{hashlib.sha256(state).hexdigest()}")
        expected = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
        assert event_id(position, aggregate_id, version, "t", state) == expected
        assert event_id(position, str(aggregate_id), version, "t", state) == expected


def test_event_ids_differ_when_anything_of_the_stored_event_differs():
    aggregate_id = uuid.uuid4()
    base = (7, aggregate_id, 3, "t", b"{}")
    variants = [(8, aggregate_id, 3, "t", b"{}"), (7, uuid.uuid4(), 3, "t", b"{}"),
                (7, aggregate_id, 4, "t", b"{}"), (7, aggregate_id, 3, "u", b"{}"),
                (7, aggregate_id, 3, "t", b"{ }")]
    assert len({event_id(*args) for args in [base, *variants]}) == 1 + len(variants)
