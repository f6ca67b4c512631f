"""Reviewers replaying how an OKR evolved: past versions, past moments, history and diffs."""

from datetime import datetime, timedelta
from uuid import UUID

import pytest

from domain.errors import NotFoundError, ValidationError
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER, REVIEWER


@pytest.fixture
def evolved(ledger):
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    for value in (10, 35, 60):
        ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.6)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "scope grew", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 150}])
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    return objective_id, kr


def test_history_lists_every_event_with_actor_time_and_payload(ledger, evolved):
    objective_id, kr = evolved
    history = ledger.history(objective_id)
    assert [h["type"] for h in history] == [
        "Drafted", "KeyResultAdded", "Submitted", "Approved", "CheckedIn", "CheckedIn",
        "CheckedIn", "AdjustmentProposed", "AdjustmentApproved"]
    assert [h["version"] for h in history] == list(range(1, 10))
    assert history[3]["actor"] == REVIEWER.name and history[4]["actor"] == OWNER.name
    assert history[5]["data"]["value"] == 35 and history[5]["data"]["key_result_id"] == kr
    assert history[7]["data"]["reason"] == "scope grew"


def test_an_objective_reads_as_it_was_at_any_version(ledger, evolved):
    objective_id, kr = evolved
    assert ledger.objective_at(objective_id, version=3).state == "in_review"
    assert ledger.objective_at(objective_id, version=6).key_results[kr].current == 35
    assert ledger.objective_at(objective_id, version=8).key_results[kr].target == 100
    assert ledger.objective_at(objective_id, version=9).key_results[kr].target == 150
    with pytest.raises(ValidationError, match="from 1 to 9"):
        ledger.objective_at(objective_id, version=10)


def test_an_objective_reads_as_it_stood_at_a_moment(ledger, evolved):
    objective_id, kr = evolved
    times = [datetime.fromisoformat(h["time"]) for h in ledger.history(objective_id)]
    at_fifth = ledger.objective_at(objective_id, as_of=times[4])
    assert (at_fifth.version, at_fifth.key_results[kr].current) == (5, 10)
    assert ledger.objective_at(objective_id, as_of=times[-1] + timedelta(days=1)).version == 9
    with pytest.raises(NotFoundError):
        ledger.objective_at(objective_id, as_of=times[0] - timedelta(seconds=1))


def test_a_diff_names_each_changed_field_with_old_and_new_values(ledger, evolved):
    objective_id, kr = evolved
    changes = {c["field"]: (c["old"], c["new"]) for c in ledger.diff(objective_id, 4, 9)}
    assert changes[f"key_results.{kr}.target"] == (100, 150)
    assert changes[f"key_results.{kr}.current"] == (0, 60)
    assert changes[f"key_results.{kr}.check_ins"] == (0, 3)
    assert "title" not in changes


def test_a_diff_shows_an_added_key_result_as_one_entry(ledger, evolved):
    objective_id, kr = evolved
    changes = ledger.diff(objective_id, 1, 2)
    added = [c for c in changes if c["field"] == f"key_results.{kr}"]
    assert added and added[0]["old"] is None and added[0]["new"]["title"] == "Weekly active users"


def test_a_moment_without_a_zone_is_read_as_utc(ledger, evolved):
    objective_id, _ = evolved
    last = datetime.fromisoformat(ledger.history(objective_id)[-1]["time"])
    assert ledger.objective_at(objective_id, as_of=last.replace(tzinfo=None)).version == 9


def test_moments_are_answered_by_the_index_kept_with_the_events(ledger, evolved):
    objective_id, _ = evolved
    times = [datetime.fromisoformat(h["time"]) for h in ledger.history(objective_id)]
    found = ledger.moments.first_version_after(UUID(objective_id), times[4])
    assert (found.indexed, found.first_version_after) == (True, 6)
    assert ledger.moments.first_version_after(UUID(objective_id), times[-1]).first_version_after \
        is None
