"""The background follower: read-your-writes, and a failed batch retried, never skipped."""

import pytest

from projections.following import EventFailedError
from projections.service import ProjectionService
from tests.builders import active, first_kr, metric_kr, open_cycle
from tests.conftest import OWNER
from tests.projection_helpers import all_views

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class FailsWhileBroken:
    """A projection handler that fails as long as the test says the view is broken."""

    def __init__(self, handle):
        self.handle, self.broken, self.failures = handle, True, 0

    def __call__(self, event, aggregate, position):
        if self.broken and type(event).__name__ == "CheckedIn":
            self.failures += 1
            raise RuntimeError("view is broken")
        self.handle(event, aggregate, position)


@pytest.fixture
def svc(ledger):
    service = ProjectionService(POPO, ledger=ledger, poll_interval=0.01, give_up_after=10**6)
    yield service
    service.close()


def test_a_failing_batch_is_retried_from_the_recorded_position(ledger, svc, monkeypatch):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    before = svc.catch_up()
    failing = FailsWhileBroken(svc.views["check_ins"].projection.handle)
    monkeypatch.setattr(svc.views["check_ins"].projection, "handle", failing)
    result = ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=10,
                             confidence=0.5)
    svc.start()

    assert not svc.wait_for(result.position, timeout=0.3)
    assert failing.failures >= 1 and isinstance(svc.following.last_error, EventFailedError)
    assert isinstance(svc.following.last_error.error, RuntimeError)
    assert svc.following.last_error.position == result.position
    assert svc.positions() == dict.fromkeys(svc.view_names(), before)

    failing.broken = False
    assert svc.wait_for(result.position, timeout=10)
    svc.stop()
    assert svc.following.last_error is None
    resumed = all_views(svc, ledger, [cycle_id])
    svc.rebuild()
    assert all_views(svc, ledger, [cycle_id]) == resumed


def test_the_ledger_tells_its_listeners_what_each_save_recorded_until_stopped(ledger):
    heard = []
    before = ledger.recorder.max_notification_id() or 0
    stop = ledger.on_saved(lambda recordings: heard.append(
        [recording.notification.id for recording in recordings]))
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    stop()
    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=10,
                    confidence=0.5)

    assert heard and heard[0][0] == before + 1
    assert [position for saved in heard for position in saved] == list(
        range(before + 1, heard[-1][-1] + 1))
    assert heard[-1][-1] < ledger.recorder.max_notification_id()


def test_a_failing_listener_never_fails_the_command_that_saved(ledger):
    def broken(recordings):
        raise RuntimeError("listener is broken")

    ledger.on_saved(broken)
    cycle_id = open_cycle(ledger)
    result = ledger.draft_objective(OWNER, cycle_id=cycle_id, title="Kept", reviewer="rita",
                                    level="team", key_results=[metric_kr()])

    assert ledger.objective(result.created_id).title == "Kept"
    assert result.position == ledger.recorder.max_notification_id()
