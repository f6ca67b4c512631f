"""Reading objectives: past versions, and copies that cannot change what the ledger holds."""

import threading

import pytest

from domain.errors import NotFoundError, TransitionNotAllowedError, ValidationError
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from workflows.keyed_locks import KeyedLocks
from workflows.objective_state import objective_state
from workflows.objective_workflow import OBJECTIVE_WORKFLOW


def checked_in(ledger, times):
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    start = ledger.objective(objective_id).version
    for value in range(times):
        ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)
    return objective_id, kr, start


def test_each_past_version_shows_the_check_ins_made_by_then(ledger):
    objective_id, kr, start = checked_in(ledger, 25)

    for version in (1, start, start + 1, start + 11, start + 25):
        past = ledger.objective_at(objective_id, version=version)
        assert past.version == version
        if version >= start:
            assert past.key_results[kr].check_ins == version - start


@pytest.mark.parametrize("beyond", ["negative", "zero", "after the latest"])
def test_a_version_outside_the_history_is_refused_naming_the_range(ledger, beyond):
    objective_id, _, start = checked_in(ledger, 3)
    latest = start + 3
    version = {"negative": -3, "zero": 0, "after the latest": latest + 1}[beyond]

    with pytest.raises(ValidationError) as error:
        ledger.objective_at(objective_id, version=version)

    assert error.value.violations == [("version", f"must be from 1 to {latest}")]


def test_an_unknown_objective_has_no_past_versions(ledger):
    with pytest.raises(NotFoundError):
        ledger.objective_at("4b0c9b43-5bd4-4a47-9d5a-8c1c7f6b2d10", version=1)


def test_changing_a_loaded_objective_changes_nothing_the_ledger_holds(ledger):
    objective_id, kr, _ = checked_in(ledger, 2)
    before = objective_state(ledger.objective(objective_id))

    loaded = ledger.objective(objective_id)
    loaded.key_results[kr].original["target"] = 1
    loaded.key_results[kr].check_ins = 99
    loaded.key_results.clear()
    loaded.supports.append("someone else")

    assert objective_state(ledger.objective(objective_id)) == before


def test_an_action_from_an_unknown_state_is_refused():
    assert OBJECTIVE_WORKFLOW.actions_from("archived") == []
    with pytest.raises(TransitionNotAllowedError):
        OBJECTIVE_WORKFLOW.step("check_in", "archived", "bob", {"owner"})


def test_a_held_key_makes_others_wait_for_that_key_only():
    locks = KeyedLocks()
    entered = {key: threading.Event() for key in ("a", "b")}

    def enter(key):
        with locks.holding(key):
            entered[key].set()

    with locks.holding("a"):
        waiting = threading.Thread(target=enter, args=("a",))
        waiting.start()
        threading.Thread(target=enter, args=("b",)).start()
        assert entered["b"].wait(timeout=5)
        assert not entered["a"].is_set()
    assert entered["a"].wait(timeout=5)
    waiting.join(timeout=5)
