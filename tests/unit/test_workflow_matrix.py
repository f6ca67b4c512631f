"""Every action in every state for every kind of person: allowed exactly as the method says.

The expectation below is written out from the issue, independently of the workflow table, so
a wrong edit to the table fails here.
"""

import pytest

from domain.errors import PermissionDeniedError, TransitionNotAllowedError
from tests.builders import draft, first_kr, open_cycle
from tests.conftest import ADMIN, AUDITOR, OWNER, REVIEWER, STRANGER

OWN, REV = "owner", "reviewer"
EXPECTED = {  # state -> action -> (who may, resulting state); an admin may do any of them
    "draft": {"edit": ({OWN}, "draft"), "submit": ({OWN}, "in_review"),
              "cancel": ({OWN, REV}, "cancelled"), "hand_over_review": ({REV}, "draft"),
              "reassign_owner": (set(), "draft")},
    "in_review": {"approve": ({REV}, "active"), "request_changes": ({REV}, "draft"),
                  "cancel": ({OWN, REV}, "cancelled"),
                  "hand_over_review": ({REV}, "in_review"),
                  "reassign_owner": (set(), "in_review")},
    "active": {"check_in": ({OWN}, "active"), "propose_adjustment": ({OWN}, "adjusting"),
               "start_closing": ({OWN}, "scoring"), "cancel": ({OWN, REV}, "cancelled"),
               "hand_over_review": ({REV}, "active"), "reassign_owner": (set(), "active"),
               "correct_check_in": ({OWN}, "active")},
    "adjusting": {"check_in": ({OWN}, "adjusting"), "approve_adjustment": ({REV}, "active"),
                  "reject_adjustment": ({REV}, "active"), "cancel": ({OWN, REV}, "cancelled"),
                  "hand_over_review": ({REV}, "adjusting"),
                  "reassign_owner": (set(), "adjusting"),
                  "correct_check_in": ({OWN}, "adjusting")},
    "scoring": {"self_assess": ({OWN}, "score_review"),
                "hand_over_review": ({REV}, "scoring"), "reassign_owner": (set(), "scoring")},
    "score_review": {"finalize": ({REV}, "closed"), "return_assessment": ({REV}, "scoring"),
                     "hand_over_review": ({REV}, "score_review"),
                     "reassign_owner": (set(), "score_review")},
    "closed": {"carry_over": ({OWN, REV}, "closed")},
    "cancelled": {"carry_over": ({OWN, REV}, "cancelled")},
}
ACTIONS = sorted({action for actions in EXPECTED.values() for action in actions})
PEOPLE = {"owner": OWNER, "reviewer": REVIEWER, "admin": ADMIN, "stranger": STRANGER,
          "auditor": AUDITOR}

PATH_TO = {  # how to reach each state from a fresh draft
    "draft": [], "in_review": ["submit"], "active": ["submit", "approve"],
    "adjusting": ["submit", "approve", "propose_adjustment"],
    "scoring": ["submit", "approve", "start_closing"],
    "score_review": ["submit", "approve", "start_closing", "self_assess"],
    "closed": ["submit", "approve", "start_closing", "self_assess", "finalize"],
    "cancelled": ["cancel"],
}


def perform(ledger, actor, action, objective_id, later_cycle):
    objective = ledger.objective(objective_id)
    kr = first_kr(ledger, objective_id)
    none = "00000000-0000-0000-0000-000000000000"
    pending = objective.pending_adjustment_id or none
    checked = [e["data"]["check_in_id"] for e in ledger.history(objective_id)
               if e["type"] == "CheckedIn"]
    calls = {
        "edit": lambda: ledger.edit_objective(actor, objective_id, {"title": "Sharper"}),
        "submit": lambda: ledger.submit(actor, objective_id),
        "approve": lambda: ledger.approve(actor, objective_id, "ok"),
        "request_changes": lambda: ledger.request_changes(actor, objective_id, "KR too vague"),
        "check_in": lambda: ledger.check_in(actor, objective_id, kr, value=10, confidence=0.5),
        "propose_adjustment": lambda: ledger.propose_adjustment(
            actor, objective_id, "priorities moved", [{"op": "edit_objective", "title": "New"}]),
        "approve_adjustment": lambda: ledger.approve_adjustment(actor, objective_id, pending),
        "reject_adjustment": lambda: ledger.reject_adjustment(actor, objective_id, pending),
        "start_closing": lambda: ledger.start_closing(actor, objective_id),
        "self_assess": lambda: ledger.self_assess(
            actor, objective_id, [{"key_result_id": kr, "score": 0.3}]),
        "finalize": lambda: ledger.finalize(actor, objective_id),
        "return_assessment": lambda: ledger.return_assessment(actor, objective_id, "evidence?"),
        "cancel": lambda: ledger.cancel(actor, objective_id, "no longer relevant"),
        "carry_over": lambda: ledger.carry_over(actor, objective_id, later_cycle),
        "hand_over_review": lambda: ledger.hand_over_review(actor, objective_id, "sam",
                                                            "on leave"),
        "reassign_owner": lambda: ledger.reassign_owner(actor, objective_id, "sam",
                                                        "bob changed team"),
        "correct_check_in": lambda: ledger.correct_check_in(
            actor, objective_id, (checked or [none])[-1], value=20, reason="typo"),
    }
    return calls[action]()


def objective_in(ledger, state):
    cycle_id = open_cycle(ledger)
    later = open_cycle(ledger, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    objective_id = draft(ledger, cycle_id)
    for action in PATH_TO[state]:
        actor = REVIEWER if action in ("approve", "finalize") else OWNER
        perform(ledger, actor, action, objective_id, later)
        if action == "approve":  # a check-in to correct
            perform(ledger, OWNER, "check_in", objective_id, later)
    assert ledger.objective(objective_id).state == state
    return objective_id, later


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", EXPECTED)
def test_action_is_allowed_only_for_the_right_person_in_the_right_state(
        ledger, state, action, person):
    objective_id, later = objective_in(ledger, state)
    version = ledger.objective(objective_id).version
    rule = EXPECTED[state].get(action)
    may = rule is not None and (person == "admin" or person in rule[0])

    if may:
        perform(ledger, PEOPLE[person], action, objective_id, later)
        assert ledger.objective(objective_id).state == rule[1]
        return
    expected_error = (TransitionNotAllowedError if rule is None and person != "auditor"
                      else PermissionDeniedError)
    with pytest.raises(expected_error) as refused:
        perform(ledger, PEOPLE[person], action, objective_id, later)
    assert ledger.objective(objective_id).version == version
    if expected_error is TransitionNotAllowedError:
        assert refused.value.state == state
        assert set(refused.value.allowed_actions) <= set(EXPECTED[state])
