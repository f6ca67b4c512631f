"""A history that emits every published event type at least once, for contract tests."""

from __future__ import annotations

from domain.events import check_in_id_for
from tests.builders import draft, first_kr, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER
from workflows.ledger import OKRLedger


def every_kind_of_event(ledger: OKRLedger) -> None:
    cycle_id = open_cycle(ledger)
    objective_id = draft(ledger, cycle_id, key_results=[metric_kr(), metric_kr(title="b")])
    ledger.edit_objective(OWNER, objective_id, {"title": "Delight every customer"})
    extra = ledger.add_key_result(OWNER, objective_id, {
        "title": "Ship search", "kind": "milestone", "due_on": "2026-12-01"}).created_id
    ledger.edit_key_result(OWNER, objective_id, extra, {"challenge": "stretch"})
    ledger.remove_key_result(OWNER, objective_id, extra, reason="out of scope")
    ledger.submit(OWNER, objective_id)
    ledger.request_changes(REVIEWER, objective_id, comment="add a threshold KR")
    ledger.add_key_result(OWNER, objective_id, {
        "title": "Delivery time", "kind": "threshold", "target": 20, "direction": "below"})
    ledger.submit(OWNER, objective_id)
    ledger.approve(REVIEWER, objective_id, comment="good")
    _during_the_cycle(ledger, objective_id)
    _closing(ledger, objective_id)
    cancelled = draft(ledger, cycle_id, title="Side quest")
    ledger.reassign_owner(ADMIN, cancelled, "sam", reason="bob is away for a month")
    ledger.reassign_owner(ADMIN, cancelled, OWNER.name, reason="bob is back")
    ledger.cancel(OWNER, cancelled, reason="no capacity")
    ledger.close_cycle(ADMIN, cycle_id)
    next_cycle = open_cycle(ledger, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    ledger.carry_over(OWNER, cancelled, next_cycle)


def _during_the_cycle(ledger: OKRLedger, objective_id: str) -> None:
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=40, confidence=0.6, note="halfway")
    threshold = list(ledger.objective(objective_id).key_results)[-1]
    checked = ledger.check_in(OWNER, objective_id, threshold, value=81, confidence=0.9)
    ledger.correct_check_in(OWNER, objective_id,
                            check_in_id_for(objective_id, checked.subject.version), value=18,
                            reason="typed 81 for 18")
    adjustment = ledger.propose_adjustment(OWNER, objective_id, "market shifted", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 80},
        {"op": "add_key_result", "title": "NPS", "kind": "metric", "start": 30, "target": 50},
    ]).created_id
    ledger.approve_adjustment(REVIEWER, objective_id, adjustment, comment="agreed")
    rejected = ledger.propose_adjustment(OWNER, objective_id, "too hard", [
        {"op": "edit_objective", "title": "Please some customers"}]).created_id
    ledger.reject_adjustment(REVIEWER, objective_id, rejected, comment="keep the ambition")


def _closing(ledger: OKRLedger, objective_id: str) -> None:
    ledger.start_closing(OWNER, objective_id)
    scores = [{"key_result_id": kr.id, "score": 0.3}
              for kr in ledger.objective(objective_id).active_key_results]
    ledger.self_assess(OWNER, objective_id, scores)
    ledger.return_assessment(REVIEWER, objective_id, comment="justify the NPS score")
    ledger.self_assess(OWNER, objective_id, scores)
    override = {"key_result_id": scores[0]["key_result_id"], "score": 0.7,
                "reason": "harder than it looked"}
    ledger.finalize(REVIEWER, objective_id, [override])
