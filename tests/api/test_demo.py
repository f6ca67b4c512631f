"""The demo organisation: everything the issue lists, loaded once."""

from __future__ import annotations

from api.demo import load_demo
from domain.indexes import OwnerCycleIndex
from workflows.ledger import OKRLedger


def test_the_demo_has_aligned_levels_adjustments_and_a_scored_objective(ledger: OKRLedger):
    assert load_demo(ledger) is True
    assert load_demo(ledger) is False
    (cycle,) = ledger.list_cycles()
    objectives = {o.level: o for o in map(ledger.objective, _all_ids(ledger, str(cycle.id)))}
    company, department = objectives["company"], objectives["department"]
    team, personal = objectives["team"], objectives["individual"]
    assert department.parent_id == str(company.id) and team.parent_id == str(department.id)
    assert personal.parent_id == str(team.id) and personal.supports == [str(department.id)]
    decisions = sorted(a.status for o in objectives.values() for a in o.adjustments.values())
    assert decisions == ["approved", "rejected"]
    assert (personal.state, personal.score) == ("closed", 0.7)
    assert all(any(kr.check_ins for kr in o.key_results.values()) for o in objectives.values())


def _all_ids(ledger: OKRLedger, cycle_id: str) -> list[str]:
    ids: list[str] = []
    for owner in ("cheng", "dana", "bob", "erin"):
        ids += ledger.repository.get(OwnerCycleIndex.create_id(cycle_id, owner)).objective_ids
    return ids
