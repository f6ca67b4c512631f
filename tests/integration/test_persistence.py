"""The same persistence behaviour on a SQLite file and on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import ConcurrencyConflictError, ValidationError
from domain.rules import MethodologyRules
from tests.builders import active, first_kr, open_cycle
from tests.command_sequences import random_history
from tests.conftest import OWNER
from tests.unit.test_replay_properties import assert_rebuilds_and_round_trips
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state


def test_an_objective_survives_a_restart_exactly(store_env):
    with OKRLedger(store_env, rules=MethodologyRules()) as ledger:
        objective_id = active(ledger, open_cycle(ledger))
        kr = first_kr(ledger, objective_id)
        ledger.check_in(OWNER, objective_id, kr, value=40, confidence=0.5, note="on track")
        before = objective_state(ledger.objective(objective_id))

    with OKRLedger(store_env, rules=MethodologyRules()) as reopened:
        assert objective_state(reopened.objective(objective_id)) == before


def test_snapshots_give_the_same_state_as_a_full_replay(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    for value in range(120):
        stored_ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)

    uuid = UUID(objective_id)
    assert list(stored_ledger.snapshots.get(uuid))  # the library took snapshots
    replayed = None
    for event in stored_ledger.events.get(uuid):  # every event from version 1, no snapshot
        replayed = event.mutate(replayed)
    assert objective_state(stored_ledger.objective(objective_id)) == objective_state(replayed)


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    version = stored_ledger.objective(objective_id).version
    stored_ledger.check_in(OWNER, objective_id, kr, value=10, confidence=0.5,
                           expected_version=version)

    with pytest.raises(ConcurrencyConflictError) as error:
        stored_ledger.check_in(OWNER, objective_id, kr, value=20, confidence=0.5,
                               expected_version=version)

    assert error.value.current_version == version + 1
    assert stored_ledger.objective(objective_id).version == version + 1


def test_concurrent_writers_without_a_version_are_all_recorded_once(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    start = stored_ledger.objective(objective_id).version

    def check_in(value):
        return stored_ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(check_in, range(40)))

    objective = stored_ledger.objective(objective_id)
    assert objective.version == start + 40
    assert objective.key_results[kr].check_ins == 40
    assert len({result.position for result in results}) == 40


def test_a_refused_command_stores_nothing(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    position = stored_ledger.recorder.max_notification_id()

    with pytest.raises(ValidationError):
        stored_ledger.check_in(OWNER, objective_id, kr, value="lots", confidence=2)

    assert stored_ledger.recorder.max_notification_id() == position


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_histories_rebuild_to_the_live_state_on_real_stores(store_env, data):
    with OKRLedger(store_env, rules=MethodologyRules()) as ledger:
        objective_id, live = random_history(ledger, data, max_steps=70)
        assert_rebuilds_and_round_trips(ledger, objective_id, live)


def test_a_past_version_read_from_a_snapshot_equals_a_full_replay_to_it(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    for value in range(30):
        stored_ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)
    version = stored_ledger.objective(objective_id).version - 7

    replayed = None
    for event in stored_ledger.events.get(UUID(objective_id), lte=version):
        replayed = event.mutate(replayed)
    past = stored_ledger.objective_at(objective_id, version=version)
    assert objective_state(past) == objective_state(replayed)


def test_a_ledger_sees_writes_made_through_another_ledger_on_the_same_store(store_env):
    with OKRLedger(store_env, rules=MethodologyRules()) as first, \
            OKRLedger(store_env, rules=MethodologyRules()) as second:
        objective_id = active(first, open_cycle(first))
        kr = first_kr(first, objective_id)
        assert second.objective(objective_id).key_results[kr].check_ins == 0

        first.check_in(OWNER, objective_id, kr, value=10, confidence=0.5)
        second.check_in(OWNER, objective_id, kr, value=20, confidence=0.5)
        first.check_in(OWNER, objective_id, kr, value=30, confidence=0.5)

        for ledger in (first, second):
            assert ledger.objective(objective_id).key_results[kr].check_ins == 3
            assert ledger.objective(objective_id).key_results[kr].current == 30
