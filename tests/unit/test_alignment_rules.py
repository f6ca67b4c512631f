"""Vertical and horizontal alignment: real targets, same cycle, not cancelled, no loops."""

import pytest

from domain.errors import ValidationError
from tests.builders import active, draft, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER


def faults(error):
    return dict(error.value.violations)


def test_a_team_objective_aligns_to_a_department_parent_and_supports_another(ledger):
    cycle_id = open_cycle(ledger)
    parent = draft(ledger, cycle_id, level="department", title="Ship faster")
    peer = draft(ledger, cycle_id, title="Stable platform")
    child = draft(ledger, cycle_id, parent_id=parent, supports=[peer])
    objective = ledger.objective(child)
    assert (objective.parent_id, objective.supports) == (parent, [peer])


def test_a_company_objective_has_no_parent(ledger):
    cycle_id = open_cycle(ledger)
    parent = draft(ledger, cycle_id)
    with pytest.raises(ValidationError) as error:
        draft(ledger, cycle_id, level="company", parent_id=parent)
    assert "parent_id" in faults(error)


def test_targets_must_exist_share_the_cycle_and_not_be_cancelled(ledger):
    cycle_id = open_cycle(ledger)
    other_cycle = open_cycle(ledger, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    elsewhere = draft(ledger, other_cycle)
    cancelled = draft(ledger, cycle_id)
    ledger.cancel(OWNER, cancelled, "dropped")
    missing = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

    with pytest.raises(ValidationError) as error:
        draft(ledger, cycle_id, parent_id=elsewhere, supports=[cancelled, missing])

    found = faults(error)
    assert "another cycle" in found["parent_id"]
    assert "cancelled" in found["supports[0]"]
    assert "no objective" in found["supports[1]"]


def test_the_alignment_graph_has_no_loops(ledger):
    cycle_id = open_cycle(ledger)
    top = draft(ledger, cycle_id, level="department")
    middle = draft(ledger, cycle_id, parent_id=top)
    bottom = draft(ledger, cycle_id, supports=[middle])
    with pytest.raises(ValidationError, match="loop"):
        ledger.edit_objective(OWNER, top, {"supports": [bottom]})
    assert ledger.objective(top).supports == []


def test_after_approval_alignment_changes_only_through_an_adjustment(ledger):
    cycle_id = open_cycle(ledger)
    parent = draft(ledger, cycle_id, level="department")
    objective_id = active(ledger, cycle_id)
    with pytest.raises(Exception, match="edit"):
        ledger.edit_objective(OWNER, objective_id, {"parent_id": parent})

    proposal = ledger.propose_adjustment(OWNER, objective_id, "reorg",
                                         [{"op": "realign", "parent_id": parent}])
    assert ledger.objective(objective_id).parent_id is None
    ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    assert ledger.objective(objective_id).parent_id == parent


def test_a_realignment_is_checked_again_when_approved(ledger):
    cycle_id = open_cycle(ledger)
    parent = draft(ledger, cycle_id, level="department")
    objective_id = active(ledger, cycle_id)
    proposal = ledger.propose_adjustment(OWNER, objective_id, "reorg",
                                         [{"op": "realign", "parent_id": parent}])
    ledger.cancel(ADMIN, parent, "department dissolved")

    with pytest.raises(ValidationError, match="cancelled"):
        ledger.approve_adjustment(REVIEWER, objective_id, proposal.created_id)
    assert ledger.objective(objective_id).state == "adjusting"
