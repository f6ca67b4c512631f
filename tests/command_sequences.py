"""Random but valid command sequences over one objective, for property-based tests.

Each draw picks one of the actions the workflow allows in the objective's current state and
fills it with random valid arguments, so every generated history is one the method allows.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.builders import draft, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER
from workflows.actors import Actor
from workflows.objective_workflow import OBJECTIVE_WORKFLOW

SCORES = (0.0, 0.3, 0.7, 1.0)


def apply_random_step(ledger, objective_id, data):
    """Take one allowed action; return the CommandResult (or None when nothing is allowed)."""
    objective = ledger.objective(objective_id)
    actions = [a for a in OBJECTIVE_WORKFLOW.actions_from(objective.state)
               if a not in ("cancel", "carry_over")]
    if not actions:
        return None
    action = data.draw(st.sampled_from(sorted(actions)))
    kr = data.draw(st.sampled_from([k.id for k in objective.active_key_results]))
    return ACTIONS[action](ledger, objective_id, objective, kr, data)


def _check_in(ledger, objective_id, objective, kr, data):
    confidence = data.draw(st.sampled_from((0.0, 0.25, 0.5, 1.0)))
    if objective.key_results[kr].kind == "milestone":
        return ledger.check_in(owner(objective), objective_id, kr, done=data.draw(st.booleans()),
                               confidence=confidence)
    value = data.draw(st.integers(min_value=-20, max_value=200))
    return ledger.check_in(owner(objective), objective_id, kr, value=value, confidence=confidence)


def _propose(ledger, objective_id, objective, kr, data):
    change = data.draw(st.sampled_from([
        {"op": "retarget_key_result", "key_result_id": kr,
         "target": data.draw(st.integers(min_value=101, max_value=500))},
        {"op": "edit_objective", "title": data.draw(st.text(
            st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=12)).strip()
         or "t"},
        {"op": "add_key_result", **metric_kr(title="added")},
        {"op": "edit_key_result", "key_result_id": kr, "challenge": "stretch", "weight": 2},
    ]))
    if change["op"] == "add_key_result" and len(objective.active_key_results) >= 5:
        change = {"op": "edit_objective", "description": "more focus"}
    return ledger.propose_adjustment(owner(objective), objective_id, "priorities moved", [change])


def _self_assess(ledger, objective_id, objective, kr, data):
    scores = [{"key_result_id": k.id, "score": data.draw(st.sampled_from(SCORES))}
              for k in objective.active_key_results]
    return ledger.self_assess(owner(objective), objective_id, scores)


def _decide(approve):
    def decide(ledger, objective_id, objective, kr, data):
        command = ledger.approve_adjustment if approve else ledger.reject_adjustment
        return command(reviewer(objective), objective_id, objective.pending_adjustment_id)
    return decide


def owner(objective):
    """Whoever owns the objective now (an admin may have reassigned it)."""
    return Actor(objective.owner, OWNER.role)


def _reassign(ledger, objective_id, objective, kr, data):
    """To someone who neither owned nor reviews it (`_hand_over` gives the review to rita or
    sam), and back to the first owner, in turn."""
    other = "cheng" if objective.owner == OWNER.name else OWNER.name
    return ledger.reassign_owner(ADMIN, objective_id, other, "changed team")


def reviewer(objective):
    """Whoever reviews the objective now (a hand-over may have changed them)."""
    return Actor(objective.reviewer, REVIEWER.role)


def _hand_over(ledger, objective_id, objective, kr, data):
    other = "sam" if objective.reviewer == REVIEWER.name else REVIEWER.name
    return ledger.hand_over_review(reviewer(objective), objective_id, other, "on leave")


def _correct(ledger, objective_id, objective, kr, data):
    """Correct a random earlier check-in (or check in, when there is none yet)."""
    checked = [e["data"] for e in ledger.history(objective_id) if e["type"] == "CheckedIn"]
    if not checked:
        return _check_in(ledger, objective_id, objective, kr, data)
    check_in = data.draw(st.sampled_from(checked))
    if objective.key_results[check_in["key_result_id"]].kind == "milestone":
        return ledger.correct_check_in(owner(objective), objective_id, check_in["check_in_id"],
                                       done=data.draw(st.booleans()), reason="typo")
    return ledger.correct_check_in(owner(objective), objective_id, check_in["check_in_id"],
                                   value=data.draw(st.integers(min_value=-20, max_value=200)),
                                   reason="typo")


ACTIONS = {
    "edit": lambda lg, oid, o, kr, d: lg.edit_objective(owner(o), oid,
                                                       {"description": "sharper"}),
    "submit": lambda lg, oid, o, kr, d: lg.submit(owner(o), oid),
    "approve": lambda lg, oid, o, kr, d: lg.approve(reviewer(o), oid),
    "request_changes": lambda lg, oid, o, kr, d: lg.request_changes(reviewer(o), oid, "clarify"),
    "check_in": _check_in,
    "propose_adjustment": _propose,
    "approve_adjustment": _decide(True),
    "reject_adjustment": _decide(False),
    "start_closing": lambda lg, oid, o, kr, d: lg.start_closing(owner(o), oid),
    "self_assess": _self_assess,
    "return_assessment": lambda lg, oid, o, kr, d: lg.return_assessment(reviewer(o), oid,
                                                                        "why?"),
    "finalize": lambda lg, oid, o, kr, d: lg.finalize(reviewer(o), oid),
    "hand_over_review": _hand_over,
    "reassign_owner": _reassign,
    "correct_check_in": _correct,
}


def random_history(ledger, data, max_steps: int):
    """Draft an objective and walk it through up to `max_steps` random allowed actions."""
    objective_id = draft(ledger, open_cycle(ledger), key_results=[
        metric_kr(title="a"), {"title": "b", "kind": "milestone", "due_on": "2026-12-01"}])
    live = ledger.objective(objective_id)
    for _ in range(data.draw(st.integers(min_value=0, max_value=max_steps))):
        result = apply_random_step(ledger, objective_id, data)
        if result is None:
            break
        live = result.subject
    return objective_id, live
