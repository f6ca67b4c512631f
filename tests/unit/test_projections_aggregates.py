"""Views never depend on which aggregates the follower happened to keep in memory."""

from projections.service import ProjectionService
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER, REVIEWER
from tests.projection_helpers import all_views

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_views_are_the_same_when_every_aggregate_is_reloaded_from_the_log(ledger):
    cycle_id = open_cycle(ledger)
    objectives = [active(ledger, cycle_id, title=f"O{i}") for i in range(3)]
    for value in (20, 50):
        for objective_id in objectives:
            ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=value,
                            confidence=0.5)
    adjustment = ledger.propose_adjustment(OWNER, objectives[0], "why", [
        {"op": "edit_objective", "title": "Renamed"}]).created_id
    ledger.approve_adjustment(REVIEWER, objectives[0], adjustment)

    with ProjectionService(POPO, ledger=ledger, batch_size=4) as forgetful, \
            ProjectionService(POPO, ledger=ledger) as keeping:
        forgetful.follower.aggregates.limit = 1
        forgetful.catch_up()
        keeping.catch_up()
        assert all_views(forgetful, ledger, [cycle_id]) == all_views(keeping, ledger, [cycle_id])
        assert len(forgetful.follower.aggregates.kept) == 1


class ForbiddenRepository:
    """Stands in for the ledger's repository: views must rebuild state from the log alone."""

    def get(self, *args, **kwargs):
        raise AssertionError("a view loaded an aggregate through the write side's repository")


def test_views_rebuild_aggregates_from_the_stored_events_never_the_repository(ledger,
                                                                              monkeypatch):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=40,
                    confidence=0.5)
    with ProjectionService(POPO, ledger=ledger) as reference:
        reference.catch_up()
        expected = all_views(reference, ledger, [cycle_id])
    monkeypatch.setattr(ledger, "_repository", ForbiddenRepository())
    with ProjectionService(POPO, ledger=ledger, batch_size=3) as svc:
        svc.follower.aggregates.limit = 1
        svc.catch_up()
        assert all_views(svc, ledger, [cycle_id]) == expected
