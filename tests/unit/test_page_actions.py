"""The objective page's forms: the ledger's commands, with the version the page showed, faults
shown by the field at fault, and nothing for a person the workflow does not name."""

from __future__ import annotations

import pytest

from domain.errors import PermissionDeniedError
from tests.builders import active, draft, first_kr, open_cycle
from tests.conftest import ADMIN, AUDITOR, OWNER, REVIEWER, STRANGER
from web.action_forms import may_take, submit_form
from workflows.ledger import OKRLedger


@pytest.fixture
def running(ledger: OKRLedger) -> str:
    return active(ledger, open_cycle(ledger))


def version(ledger: OKRLedger, objective_id: str) -> str:
    return str(ledger.objective(objective_id).version)


def test_the_owner_checks_in(ledger, running):
    kr = first_kr(ledger, running)
    outcome = submit_form(ledger, OWNER, running, "check_in", {
        "version": version(ledger, running), "key_result_id": kr, "value": "42",
        "confidence": "0.8", "note": "on track"})
    assert outcome.written and not outcome.errors
    assert ledger.objective(running).key_results[kr].current == 42


def test_a_value_that_is_no_number_is_named_by_its_field(ledger, running):
    before = ledger.objective(running).version
    outcome = submit_form(ledger, OWNER, running, "check_in", {
        "version": str(before), "key_result_id": first_kr(ledger, running), "value": "lots",
        "confidence": ""})
    assert not outcome.written
    assert set(outcome.errors) == {"value", "confidence"}
    assert "'lots'" in outcome.errors["value"]
    assert ledger.objective(running).version == before


def test_the_ledgers_own_rules_come_back_by_field(ledger, running):
    outcome = submit_form(ledger, OWNER, running, "check_in", {
        "version": version(ledger, running), "key_result_id": first_kr(ledger, running),
        "value": "5", "confidence": "1.5"})
    assert list(outcome.errors) == ["confidence"]
    assert "0.0 to 1.0" in outcome.errors["confidence"]


def test_a_stale_page_is_told_so_and_nothing_is_written(ledger, running):
    shown = version(ledger, running)
    kr = first_kr(ledger, running)
    ledger.check_in(OWNER, running, kr, value=10, confidence=0.5)
    outcome = submit_form(ledger, OWNER, running, "check_in", {
        "version": shown, "key_result_id": kr, "value": "99", "confidence": "0.9"})
    assert not outcome.written and "changed since you opened it" in outcome.conflict
    assert outcome.version == int(shown) + 1
    assert ledger.objective(running).key_results[kr].current == 10


def test_a_decision_already_taken_by_someone_else_is_a_conflict(ledger):
    objective_id = draft(ledger, open_cycle(ledger))
    ledger.submit(OWNER, objective_id)
    shown = version(ledger, objective_id)
    ledger.approve(ADMIN, objective_id)
    outcome = submit_form(ledger, REVIEWER, objective_id, "request_changes",
                          {"version": shown, "comment": "more KRs"})
    assert outcome.conflict and not outcome.written


def test_the_reviewer_approves(ledger):
    objective_id = draft(ledger, open_cycle(ledger))
    ledger.submit(OWNER, objective_id)
    outcome = submit_form(ledger, REVIEWER, objective_id, "approve",
                          {"version": version(ledger, objective_id), "comment": ""})
    assert outcome.written and ledger.objective(objective_id).state == "active"


def test_requesting_changes_needs_a_comment(ledger):
    objective_id = draft(ledger, open_cycle(ledger))
    ledger.submit(OWNER, objective_id)
    outcome = submit_form(ledger, REVIEWER, objective_id, "request_changes",
                          {"version": version(ledger, objective_id), "comment": "  "})
    assert list(outcome.errors) == ["comment"]


@pytest.mark.parametrize("person", [STRANGER, AUDITOR, OWNER])
def test_a_person_the_workflow_does_not_name_is_refused_whatever_the_version(
        ledger, running, person):
    ledger.check_in(OWNER, running, first_kr(ledger, running), value=1, confidence=0.5)
    assert not may_take(person, ledger.objective(running), "approve")
    with pytest.raises(PermissionDeniedError):
        submit_form(ledger, person, running, "approve", {"version": "1", "comment": "sneaky"})
    assert ledger.objective(running).state == "active"


def test_an_action_the_page_has_no_form_for_is_refused(ledger, running):
    with pytest.raises(PermissionDeniedError):
        submit_form(ledger, ADMIN, running, "delete_everything", {"version": "1"})


def test_the_adjustment_is_decided_by_the_reviewer(ledger, running):
    kr = first_kr(ledger, running)
    ledger.propose_adjustment(OWNER, running, "scope", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 80}])
    outcome = submit_form(ledger, REVIEWER, running, "approve_adjustment",
                          {"version": version(ledger, running), "comment": "fine"})
    assert outcome.written and ledger.objective(running).key_results[kr].target == 80


def closing(ledger: OKRLedger, objective_id: str) -> str:
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=100, confidence=1.0)
    ledger.start_closing(OWNER, objective_id)
    ledger.self_assess(OWNER, objective_id, [{"key_result_id": kr, "score": 0.3}])
    return kr


def test_an_override_without_a_reason_is_named_by_its_key_result(ledger, running):
    kr = closing(ledger, running)
    outcome = submit_form(ledger, REVIEWER, running, "finalize", {
        "version": version(ledger, running), f"score.{kr}": "0.7", f"reason.{kr}": ""})
    assert list(outcome.errors) == [f"reason.{kr}"]
    assert ledger.objective(running).state == "score_review"


def test_the_reviewer_finalizes_with_an_override_and_its_reason(ledger, running):
    kr = closing(ledger, running)
    outcome = submit_form(ledger, REVIEWER, running, "finalize", {
        "version": version(ledger, running), f"score.{kr}": "0.7",
        f"reason.{kr}": "harder than it looked"})
    objective = ledger.objective(running)
    assert outcome.written and objective.state == "closed"
    assert (objective.key_results[kr].final_score,
            objective.key_results[kr].override_reason) == (0.7, "harder than it looked")


def test_finalizing_with_no_override_keeps_the_self_assessed_scores(ledger, running):
    kr = closing(ledger, running)
    outcome = submit_form(ledger, REVIEWER, running, "finalize",
                          {"version": version(ledger, running), f"score.{kr}": ""})
    assert outcome.written and ledger.objective(running).key_results[kr].final_score == 0.3


def test_a_form_without_the_version_it_showed_writes_nothing(ledger, running):
    outcome = submit_form(ledger, OWNER, running, "start_closing", {"reason": "done"})
    assert list(outcome.errors) == ["version"]
    assert ledger.objective(running).state == "active"
