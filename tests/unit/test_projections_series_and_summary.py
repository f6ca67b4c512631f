"""Check-in series per KR, and the cycle summary with a clock the test controls."""

from datetime import timedelta

import pytest

from domain.errors import NotFoundError, ValidationError
from projections.service import ProjectionService
from tests.builders import active, draft, first_kr, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER
from tests.projection_helpers import running
from workflows.actors import Actor


@pytest.fixture
def svc(ledger):
    service = ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger)
    yield service
    service.close()


def test_a_series_gives_each_check_in_with_the_progress_it_made(ledger, svc):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id, key_results=[
        metric_kr(), {"title": "MTTR", "kind": "threshold", "target": 20, "direction": "below"},
        {"title": "Ship X", "kind": "milestone", "due_on": "2026-12-01"}])
    metric, threshold, milestone = ledger.objective(objective_id).key_results
    ledger.check_in(OWNER, objective_id, metric, value=40, confidence=0.5, note="slow start")
    ledger.check_in(OWNER, objective_id, metric, value=90, confidence=0.9)
    ledger.check_in(OWNER, objective_id, threshold, value=25, confidence=0.4)
    ledger.check_in(OWNER, objective_id, threshold, value=18, confidence=0.6)
    ledger.check_in(OWNER, objective_id, milestone, done=True, confidence=1.0)
    svc.catch_up()

    series = svc.check_ins(objective_id, metric)
    assert [(p["value"], p["progress"], p["confidence"]) for p in series] == \
        [(40, 0.4, 0.5), (90, 0.9, 0.9)]
    assert (series[0]["actor"], series[0]["note"], series[0]["done"]) == ("bob", "slow start", None)
    assert series[0]["time"] < series[1]["time"] and series[0]["position"] < series[1]["position"]
    assert [p["progress"] for p in svc.check_ins(objective_id, threshold)] == [0.0, 0.5]
    assert [(p["done"], p["progress"]) for p in svc.check_ins(objective_id, milestone)] == \
        [(True, 1.0)]
    assert svc.check_ins(objective_id, "no-such-kr") == []


def close_with(ledger, objective_id, scores):
    krs = list(ledger.objective(objective_id).key_results)
    ledger.start_closing(ADMIN, objective_id)
    ledger.self_assess(ADMIN, objective_id, [{"key_result_id": kr, "score": score}
                                              for kr, score in zip(krs, scores, strict=True)])
    ledger.finalize(ADMIN, objective_id)


def test_the_summary_counts_objectives_and_their_final_scores(ledger, svc):
    cycle_id = open_cycle(ledger)
    close_with(ledger, running(ledger, cycle_id, owner="ann", level="company"), [0.7])
    close_with(ledger, running(ledger, cycle_id, owner="cy", kind="non_business"), [0.3])
    close_with(ledger, running(ledger, cycle_id, owner="di",
                               key_results=[metric_kr(), metric_kr(title="b")]), [0.7, 0.3])
    draft(ledger, cycle_id)
    svc.catch_up()

    summary = svc.summary(cycle_id, stale_days=7)

    assert summary["objectives"] == 4
    assert summary["by_state"] == {"closed": 3, "draft": 1}
    assert summary["by_level"] == {"company": 1, "team": 3}
    assert summary["by_kind"] == {"business": 3, "non_business": 1}
    assert summary["scores"] == {"count": 3, "average": 0.5,
                                 "distribution": {"0.0": 0, "0.3": 2, "0.7": 1, "1.0": 0}}


def test_running_objectives_without_a_recent_check_in_are_stale(ledger, svc):
    cycle_id = open_cycle(ledger)
    checked = active(ledger, cycle_id)
    silent = running(ledger, cycle_id, owner="dan", title="Quiet")
    draft(ledger, cycle_id, owner="eve")
    ledger.check_in(OWNER, checked, first_kr(ledger, checked), value=10, confidence=0.5)
    svc.catch_up()
    checked_at = svc.check_ins(checked, first_kr(ledger, checked))[0]["time"]

    soon = svc.summary(cycle_id, stale_days=7, now=checked_at + timedelta(days=6))
    later = svc.summary(cycle_id, stale_days=7, now=checked_at + timedelta(days=8))

    assert soon["stale"] == [{"id": silent, "title": "Quiet", "owner": "dan",
                              "last_check_in_at": None}]
    assert [(s["id"], s["last_check_in_at"]) for s in later["stale"]] == \
        [(checked, checked_at), (silent, None)]


def test_a_summary_needs_a_known_cycle_and_a_whole_number_of_days(ledger, svc):
    cycle_id = open_cycle(ledger)
    svc.catch_up()

    with pytest.raises(NotFoundError):
        svc.summary("no-such-cycle", stale_days=7)
    for bad in (0, -3, 2.5, "7", True):
        with pytest.raises(ValidationError, match="stale_days"):
            svc.summary(cycle_id, stale_days=bad)


def test_stale_ids_of_some_nodes_agree_with_the_summary_and_read_only_theirs(ledger, svc):
    cycle_id = open_cycle(ledger)
    checked, other = active(ledger, cycle_id), running(ledger, cycle_id, owner="dan")
    silent = running(ledger, cycle_id, owner="eve", title="Quiet")
    for objective_id, value in ((checked, 10), (other, 20)):
        ledger.check_in(Actor(ledger.objective(objective_id).owner), objective_id,
                        first_kr(ledger, objective_id), value=value, confidence=0.5)
    svc.catch_up()
    nodes = {node["id"]: node for node in svc.objectives(cycle_id=cycle_id)}
    checked_at = svc.last_check_ins(cycle_id)[checked]

    for days in (6, 8):
        now = checked_at + timedelta(days=days)
        whole = {item["id"] for item in svc.summary(cycle_id, stale_days=7, now=now)["stale"]}
        shown = svc.stale_ids(cycle_id, [nodes[checked], nodes[silent]], stale_days=7, now=now)
        assert shown == whole - {other}
    assert set(svc.last_check_ins(cycle_id, [checked, silent])) == {checked}
    assert svc.last_check_ins(cycle_id, []) == {}
