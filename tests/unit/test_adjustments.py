"""Mid-cycle adjustments: all changes or none, with the original values kept readable."""

import pytest

from domain.errors import ValidationError
from tests.builders import active, draft, first_kr, metric_kr, open_cycle
from tests.conftest import OWNER, REVIEWER


@pytest.fixture
def objective_id(ledger):
    return active(ledger, open_cycle(ledger), key_results=[
        metric_kr(title="Signups", target=100), metric_kr(title="Churn", start=10, target=5)])


def krs(ledger, objective_id):
    return list(ledger.objective(objective_id).key_results)


def test_approval_applies_every_change_at_once_and_keeps_the_originals(ledger, objective_id):
    signups, churn = krs(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, signups, value=60, confidence=0.7)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "new market data", [
        {"op": "retarget_key_result", "key_result_id": signups, "target": 80, "unit": "k"},
        {"op": "edit_key_result", "key_result_id": churn, "title": "Monthly churn",
         "challenge": "stretch", "weight": 2},
        {"op": "edit_objective", "title": "Grow sustainably"},
        {"op": "add_key_result", "title": "NPS", "kind": "threshold", "target": 40},
    ])
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id, "agreed")

    objective = ledger.objective(objective_id)
    kr = objective.key_results[signups]
    assert (kr.target, kr.unit, kr.original) == (80, "k", {"target": 100, "unit": "users"})
    assert kr.progress == 0.75 and kr.original_progress == 0.6
    assert objective.key_results[churn].title == "Monthly churn"
    assert objective.key_results[churn].original["title"] == "Churn"
    assert (objective.title, objective.original) == ("Grow sustainably",
                                                     {"title": "Delight customers"})
    assert [k.title for k in objective.active_key_results][-1] == "NPS"
    assert objective.adjustments[proposal.created_id].status == "approved"
    assert objective.state == "active"


def test_rejection_applies_nothing(ledger, objective_id):
    signups, _ = krs(ledger, objective_id)
    before = ledger.objective(objective_id)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "too hard", [
        {"op": "retarget_key_result", "key_result_id": signups, "target": 50},
        {"op": "remove_key_result", "key_result_id": signups}])
    ledger.reject_adjustment(REVIEWER, objective_id, proposal.created_id, "keep pushing")

    after = ledger.objective(objective_id)
    assert after.key_results[signups] == before.key_results[signups]
    assert after.adjustments[proposal.created_id].status == "rejected"
    assert after.adjustments[proposal.created_id].comment == "keep pushing"


def test_a_proposal_records_before_and_after_for_each_change(ledger, objective_id):
    signups, _ = krs(ledger, objective_id)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "scope cut", [
        {"op": "remove_key_result", "key_result_id": signups},
        {"op": "realign", "supports": []}])
    changes = ledger.objective(objective_id).adjustments[proposal.created_id].changes
    assert changes[0] == {"op": "remove_key_result", "key_result_id": signups,
                          "before": {"removed": False}, "after": {"removed": True}}
    assert changes[1] == {"op": "realign", "before": {"supports": []}, "after": {"supports": []}}


def test_a_removed_key_result_stays_in_the_objective_marked_removed(ledger, objective_id):
    signups, _ = krs(ledger, objective_id)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "measured elsewhere",
                                         [{"op": "remove_key_result", "key_result_id": signups}])
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    objective = ledger.objective(objective_id)
    assert objective.key_results[signups].removed
    assert signups not in [kr.id for kr in objective.active_key_results]


def test_every_fault_of_a_proposal_is_listed_and_nothing_is_stored(ledger, objective_id):
    version = ledger.objective(objective_id).version
    with pytest.raises(ValidationError) as error:
        ledger.propose_adjustment(OWNER, objective_id, "", [
            {"op": "teleport"}, {"op": "retarget_key_result", "key_result_id": "nope"},
            {"op": "edit_objective", "colour": "blue"}])
    assert error.value.violations == [("reason", "is required: say why")]
    with pytest.raises(ValidationError) as error:
        ledger.propose_adjustment(OWNER, objective_id, "why not", [
            {"op": "teleport"}, {"op": "retarget_key_result", "key_result_id": "nope"},
            {"op": "edit_objective", "colour": "blue"}])
    fields = [field for field, _ in error.value.violations]
    assert fields == ["changes[0].op", "changes[1].key_result_id", "changes[2].colour",
                      "changes[2]"]
    assert ledger.objective(objective_id).version == version


def test_an_adjustment_cannot_leave_an_objective_without_key_results(ledger):
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    with pytest.raises(ValidationError, match="0 active key results"):
        ledger.propose_adjustment(OWNER, objective_id, "drop it",
                                  [{"op": "remove_key_result", "key_result_id": kr}])


def test_check_ins_stay_allowed_while_an_adjustment_is_reviewed(ledger, objective_id):
    signups, _ = krs(ledger, objective_id)
    ledger.propose_adjustment(OWNER, objective_id, "x", [{"op": "edit_objective", "title": "Y"}])
    result = ledger.check_in(OWNER, objective_id, signups, value=30, confidence=0.4)
    assert result.subject.state == "adjusting"
    assert result.subject.key_results[signups].current == 30


def test_carry_over_creates_a_draft_in_a_later_cycle_that_remembers_its_origin(ledger):
    cycle_id = open_cycle(ledger)
    later = open_cycle(ledger, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    objective_id = draft(ledger, cycle_id)
    ledger.cancel(OWNER, objective_id, "deprioritised")

    with pytest.raises(ValidationError, match="starting after"):
        ledger.carry_over(OWNER, objective_id, cycle_id)
    result = ledger.carry_over(OWNER, objective_id, later)

    copy = ledger.objective(result.created_id)
    assert (copy.state, copy.cycle_id, copy.carried_over_from) == ("draft", later, objective_id)
    assert [kr.title for kr in copy.active_key_results] == ["Weekly active users"]
    assert ledger.objective(objective_id).carried_over_to == [result.created_id]


def test_original_progress_is_only_on_a_retargeted_key_result(ledger, objective_id):
    """Regression: any adjustment to a KR (a new title) once gave it an original_progress."""
    signups, churn = krs(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, signups, value=60, confidence=0.7)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "clearer names", [
        {"op": "edit_key_result", "key_result_id": churn, "title": "Monthly churn"},
        {"op": "retarget_key_result", "key_result_id": signups, "target": 120}])
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    objective = ledger.objective(objective_id)
    renamed, retargeted = objective.key_results[churn], objective.key_results[signups]
    assert (renamed.retargeted, renamed.original_progress) == (False, None)
    assert (retargeted.retargeted, retargeted.original_progress) == (True, 0.6)
    assert retargeted.progress == 0.5


def test_a_retargeted_threshold_reports_its_share_against_the_original_threshold(ledger):
    objective_id = active(ledger, open_cycle(ledger), key_results=[
        {"title": "Delivery days", "kind": "threshold", "target": 20, "direction": "below"}])
    kr = first_kr(ledger, objective_id)
    for days in (18, 22):
        ledger.check_in(OWNER, objective_id, kr, value=days, confidence=0.5)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "be realistic", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 25}])
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    for days in (23, 19):
        ledger.check_in(OWNER, objective_id, kr, value=days, confidence=0.5)
    adjusted = ledger.objective(objective_id).key_results[kr]
    assert adjusted.progress == 0.75  # 18 of 20; then 23 and 19 of 25
    assert adjusted.original_progress == 0.5  # 18 and 19 of the original 20


@pytest.mark.parametrize("target", [0, 5e-324])
def test_a_retarget_to_an_unmeasurable_target_is_refused(ledger, objective_id, target):
    signups, _ = krs(ledger, objective_id)
    with pytest.raises(ValidationError, match="target must differ from start"):
        ledger.propose_adjustment(OWNER, objective_id, "x", [
            {"op": "retarget_key_result", "key_result_id": signups, "target": target}])


def test_an_added_metric_key_result_needs_a_target_apart_from_its_start(ledger, objective_id):
    with pytest.raises(ValidationError, match=r"changes\[0\]\.target"):
        ledger.propose_adjustment(OWNER, objective_id, "x", [
            {"op": "add_key_result", **metric_kr(title="flat", start=3, target=3)}])
