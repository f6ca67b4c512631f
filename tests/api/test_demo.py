"""The demo organisation: everything the issue lists, loaded once, spread over eight weeks,
and something left in two reviewers' inboxes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.demo import IN_REVIEW, load_demo
from domain.indexes import OwnerCycleIndex
from workflows.ledger import OKRLedger


def test_the_demo_has_aligned_levels_adjustments_and_a_scored_objective(ledger: OKRLedger):
    assert load_demo(ledger) is True
    assert load_demo(ledger) is False
    (cycle,) = ledger.list_cycles()
    everyone = list(map(ledger.objective, _all_ids(ledger, str(cycle.id))))
    waiting = next(o for o in everyone if o.title == IN_REVIEW)
    objectives = {o.level: o for o in everyone if o is not waiting}
    company, department = objectives["company"], objectives["department"]
    team, personal = objectives["team"], objectives["individual"]
    assert department.parent_id == str(company.id) and team.parent_id == str(department.id)
    assert personal.parent_id == str(team.id) and personal.supports == [str(department.id)]
    decisions = sorted(a.status for o in objectives.values() for a in o.adjustments.values())
    assert decisions == ["approved", "pending", "rejected"]
    assert (personal.state, personal.score) == ("closed", 0.7)
    assert all(any(kr.check_ins for kr in o.key_results.values()) for o in objectives.values())
    assert (waiting.state, waiting.owner, waiting.reviewer) == ("in_review", "erin", "bob")
    assert (department.state, department.reviewer) == ("adjusting", "cheng")


def test_the_demo_history_is_spread_over_the_eight_weeks_before_today():
    today = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    with OKRLedger({"PERSISTENCE_MODULE": "eventsourcing.popo"}) as ledger:  # the demo alone
        load_demo(ledger, today)
        times = [ledger.mapper.to_domain_event(item).timestamp
                 for item in ledger.recorder.select_notifications(start=1, limit=1000)]
    assert times == sorted(times) and times[-1] < today
    assert times[0] >= today - timedelta(weeks=8)
    days = {time.date() for time in times}
    assert len(days) >= 15  # the check-ins of one objective fall on different days


def _all_ids(ledger: OKRLedger, cycle_id: str) -> list[str]:
    ids: list[str] = []
    for owner in ("cheng", "dana", "bob", "erin"):
        ids += ledger.repository.get(OwnerCycleIndex.create_id(cycle_id, owner)).objective_ids
    return ids
