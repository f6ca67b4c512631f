"""Which views the follower hands an event to, and how a replay writes the views at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.cycle import Cycle
from domain.objective import Objective
from projections.audit import AuditProjection
from projections.check_ins import CheckInProjection
from projections.decisions import DecisionProjection
from projections.following import concurrently
from projections.projection import event_class
from projections.service import ProjectionService
from projections.tree_projection import TreeProjection
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from tests.projection_helpers import all_views

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
CHECKED_IN = event_class(Objective, "CheckedIn")
SUBMITTED = event_class(Objective, "Submitted")


def test_a_view_handles_the_event_classes_it_declares_and_no_others():
    assert TreeProjection().handles(CHECKED_IN) and TreeProjection().handles(Cycle.Event)
    assert CheckInProjection().handles(CHECKED_IN)
    assert not CheckInProjection().handles(SUBMITTED)
    assert not AuditProjection().handles(CHECKED_IN)
    assert DecisionProjection().handles(SUBMITTED)
    assert not DecisionProjection().handles(CHECKED_IN)


class Recording:
    """Stands in for one projection's `handle`, passing each event on and noting its class."""

    def __init__(self, handle):
        self.handle, self.seen = handle, []

    def __call__(self, event, aggregate, position):
        self.seen.append(type(event))
        self.handle(event, aggregate, position)


def test_the_follower_calls_a_view_only_for_its_events_and_still_moves_every_view(ledger):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=10,
                    confidence=0.5)
    with ProjectionService(POPO, ledger=ledger, batch_size=3) as svc:
        audit = Recording(svc.views["audit"].projection.handle)
        check_ins = Recording(svc.views["check_ins"].projection.handle)
        svc.views["audit"].projection.handle = audit
        svc.views["check_ins"].projection.handle = check_ins

        last = svc.catch_up()

        assert last == ledger.recorder.max_notification_id()
        assert svc.positions() == dict.fromkeys(svc.view_names(), last)
        assert audit.seen == []  # no adjustment in this log
        assert check_ins.seen == [CHECKED_IN]
        assert len(svc.check_ins(objective_id, first_kr(ledger, objective_id))) == 1


def test_a_rebuild_gives_the_views_the_follower_built_in_small_batches(ledger):
    cycle_id = open_cycle(ledger)
    objectives = [active(ledger, cycle_id, title=f"O{i}") for i in range(3)]
    for value in (10, 40, 70):
        for objective_id in objectives:
            ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=value,
                            confidence=0.5)
    with ProjectionService(POPO, ledger=ledger, batch_size=4) as svc:
        svc.catch_up()
        followed = all_views(svc, ledger, [cycle_id])
        svc.rebuild()
        assert all_views(svc, ledger, [cycle_id]) == followed


def test_concurrent_calls_have_all_finished_before_the_first_error_is_raised():
    started, finished = threading.Event(), threading.Event()

    def failing():
        started.set()
        raise RuntimeError("this view's write failed")

    def slower():
        assert started.wait(timeout=10)
        finished.set()
        return "written"

    pool = ThreadPoolExecutor(2)
    try:
        with pytest.raises(RuntimeError, match="write failed"):
            concurrently(pool, [failing, slower])
        assert finished.is_set()  # looked at before the pool is shut down, which waits too
    finally:
        pool.shutdown()


def test_without_an_executor_the_calls_run_here_in_order():
    order = []
    assert concurrently(None, [lambda: order.append(1) or "a",
                               lambda: order.append(2) or "b"]) == ["a", "b"]
    assert order == [1, 2]
