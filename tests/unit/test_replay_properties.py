"""Property: any valid history rebuilds to the live state, and every stored event round-trips."""

from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.rules import MethodologyRules
from tests.command_sequences import random_history
from tests.people import register_people
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state


def assert_rebuilds_and_round_trips(ledger, objective_id, live):
    replayed = None
    for event in ledger.events.get(UUID(objective_id)):
        replayed = event.mutate(replayed)
    assert objective_state(replayed) == objective_state(live)
    assert objective_state(ledger.objective(objective_id)) == objective_state(live)
    for notification in ledger.recorder.select_notifications(start=1, limit=10_000):
        stored = ledger.mapper.to_stored_event(ledger.mapper.to_domain_event(notification))
        assert (stored.topic, stored.state) == (notification.topic, notification.state)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_histories_rebuild_to_the_live_state(data):
    with OKRLedger({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                   rules=MethodologyRules()) as ledger:
        register_people(ledger)
        objective_id, live = random_history(ledger, data, max_steps=60)
        assert_rebuilds_and_round_trips(ledger, objective_id, live)
