"""The adjustment audit: who proposed what, why, before and after, and what was decided."""

from datetime import timedelta

import pytest

from domain.errors import ValidationError
from projections.service import ProjectionService
from tests.builders import active, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER
from tests.projection_helpers import running


@pytest.fixture
def svc(ledger):
    service = ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger)
    yield service
    service.close()


@pytest.fixture
def objective(ledger):
    cycle_id = open_cycle(ledger)
    company = running(ledger, cycle_id, level="company", owner="cleo", title="Grow")
    objective_id = active(ledger, cycle_id, key_results=[
        metric_kr(title="a"), metric_kr(title="b", challenge="committed")])
    kr_a, kr_b = ledger.objective(objective_id).key_results
    return {"cycle": cycle_id, "company": company, "id": objective_id, "a": kr_a, "b": kr_b}


def test_every_kind_of_change_is_recorded_with_its_before_and_after(ledger, svc, objective):
    o = objective
    new_kr = metric_kr(title="c", target=10)
    first = ledger.propose_adjustment(OWNER, o["id"], "scope grew", [
        {"op": "retarget_key_result", "key_result_id": o["a"], "target": 150},
        {"op": "edit_key_result", "key_result_id": o["b"], "title": "b2", "challenge": "stretch"},
        {"op": "edit_objective", "title": "Delight more customers"},
        {"op": "add_key_result", **new_kr},
    ]).created_id
    ledger.approve_adjustment(REVIEWER, o["id"], first, "agreed")
    second = ledger.propose_adjustment(OWNER, o["id"], "reorganised", [
        {"op": "remove_key_result", "key_result_id": o["b"]},
        {"op": "realign", "parent_id": o["company"]},
    ]).created_id
    ledger.reject_adjustment(REVIEWER, o["id"], second, "keep it")
    svc.catch_up()

    approved, rejected = svc.adjustments(objective_id=o["id"])

    assert [(c["op"], c["before"], c["after"]) for c in approved["changes"]] == [
        ("retarget_key_result", {"target": 100}, {"target": 150}),
        ("edit_key_result", {"title": "b", "challenge": "committed"},
         {"title": "b2", "challenge": "stretch"}),
        ("edit_objective", {"title": "Delight customers"}, {"title": "Delight more customers"}),
        ("add_key_result", {}, new_kr),
    ]
    assert [(c["op"], c["before"], c["after"]) for c in rejected["changes"]] == [
        ("remove_key_result", {"removed": False}, {"removed": True}),
        ("realign", {"parent_id": None}, {"parent_id": o["company"]}),
    ]
    assert (approved["decision"], approved["decided_by"], approved["comment"]) == \
        ("approved", REVIEWER.name, "agreed")
    assert (rejected["decision"], rejected["reason"]) == ("rejected", "reorganised")
    assert approved["proposed_by"] == OWNER.name and approved["owner"] == "bob"
    assert approved["proposed_at"] <= approved["decided_at"] <= rejected["proposed_at"]
    assert svc.tree(o["cycle"], root_id=o["id"])[0]["title"] == "Delight more customers"


def test_a_pending_adjustment_has_no_decision_yet(ledger, svc, objective):
    ledger.propose_adjustment(OWNER, objective["id"], "later", [
        {"op": "edit_objective", "title": "Later"}])
    svc.catch_up()

    (record,) = svc.adjustments()
    assert (record["decision"], record["decided_by"], record["decided_at"]) == \
        ("pending", None, None)


def test_the_audit_filters_by_cycle_objective_owner_and_time(ledger, svc, objective):
    o = objective
    other_cycle = open_cycle(ledger, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    elsewhere = running(ledger, other_cycle, owner="dan")
    for objective_id, title in ((o["id"], "one"), (elsewhere, "two"), (o["company"], "three")):
        ledger.propose_adjustment(ADMIN, objective_id,
                                  "why", [{"op": "edit_objective", "title": title}])
    svc.catch_up()

    everything = svc.adjustments()
    times = [record["proposed_at"] for record in everything]
    assert times == sorted(times) and len(everything) == 3
    assert {r["cycle_id"] for r in svc.adjustments(cycle_id=other_cycle)} == {other_cycle}
    assert [r["objective_id"] for r in svc.adjustments(objective_id=o["company"])] == \
        [o["company"]]
    assert [r["owner"] for r in svc.adjustments(owner="dan")] == ["dan"]
    assert svc.adjustments(since=times[1]) == everything[1:]
    assert svc.adjustments(until=times[1]) == everything[:1]
    assert svc.adjustments(since=times[2] + timedelta(microseconds=1)) == []


def test_the_audit_time_range_must_be_given_as_dates_and_times(svc):
    with pytest.raises(ValidationError, match="since"):
        svc.adjustments(since="last week")


def test_an_adjustment_pending_at_cancellation_is_withdrawn_in_its_name(ledger, svc, objective):
    """Regression: it once stayed `pending` forever."""
    proposal = ledger.propose_adjustment(OWNER, objective["id"], "more", [
        {"op": "retarget_key_result", "key_result_id": objective["a"], "target": 120}])
    cancelled = ledger.cancel(REVIEWER, objective["id"], "priorities changed")
    adjustment = cancelled.subject.adjustments[proposal.created_id]
    assert (adjustment.status, adjustment.decided_by, adjustment.comment) == (
        "withdrawn", REVIEWER.name, "priorities changed")
    svc.catch_up()
    [record] = svc.adjustments(objective_id=objective["id"])
    assert (record["decision"], record["decided_by"], record["comment"]) == (
        "withdrawn", REVIEWER.name, "priorities changed")
    assert record["decided_at"] is not None
