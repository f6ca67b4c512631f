"""An event the views can never apply is dead-lettered and the views stop, saying where and
why, instead of retrying for ever; on SQLite and PostgreSQL."""

import time

import pytest

from projections.service import ProjectionService
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from tests.integration.test_projections_following import some_history
from tests.people import register_people
from tests.poison import spoil_event
from tests.projection_helpers import comes_true
from tests.stores import postgres_database
from workflows.settings import persistence_env


def test_an_event_that_always_fails_is_dead_lettered_and_the_views_stop(stored_ledger,
                                                                         store_env):
    start = stored_ledger.recorder.max_notification_id() or 0  # the people registered
    some_history(stored_ledger)
    spoil_event(store_env, start + 12)
    with ProjectionService(store_env, ledger=stored_ledger, poll_interval=0.01,
                           give_up_after=3) as svc:
        svc.start()
        assert comes_true(lambda: svc.following.stopped_at is not None)

        status = svc.status()
        assert status["state"] == "stopped"
        assert [(letter["position"], letter["attempts"]) for letter in
                status["dead_letters"]] == [(start + 12, 3)]
        assert "MapperDeserialisationError" in status["dead_letters"][0]["error"]
        assert set(svc.positions().values()) == {start + 11}
        started = time.monotonic()
        assert not svc.wait_for(start + 12, timeout=30)
        assert time.monotonic() - started < 1, "a stopped follower makes readers wait"


def test_a_dead_letter_is_history_once_the_views_get_past_it(stored_ledger, store_env):
    start = stored_ledger.recorder.max_notification_id() or 0  # the people registered
    some_history(stored_ledger)
    spoil_event(store_env, start + 12)
    with ProjectionService(store_env, ledger=stored_ledger, poll_interval=0.01,
                           give_up_after=2) as svc:
        svc.start()
        assert comes_true(lambda: svc.following.stopped_at is not None)
        svc.stop()
        svc.dead_letters.record(3, "an older failure, long fixed", 2)
        assert [letter["position"] for letter in svc.status()["dead_letters"]] == [start + 12]


@pytest.mark.postgres
def test_a_nul_in_old_history_stops_the_postgres_views_with_a_dead_letter():
    """A check-in stored before notes were checked for control characters: PostgreSQL text
    cannot hold NUL, so no view can write it; the follower stops instead of spinning."""
    with postgres_database() as url, ProjectionService(
            persistence_env(database_url=url), poll_interval=0.01, give_up_after=2) as svc:
        ledger = svc.ledger
        register_people(ledger)
        objective_id = active(ledger, open_cycle(ledger))
        objective = ledger.objective(objective_id)
        kr = first_kr(ledger, objective_id)
        objective._checked_in(actor=OWNER.name, state=objective.state, key_result_id=kr,
                              value=5.0, done=None, confidence=0.5, note="a\x00b", met=None,
                              check_in_id="a-check-in-stored-before-notes-were-checked")
        position = ledger.save_all(objective)
        svc.start()
        assert comes_true(lambda: svc.following.stopped_at is not None)
        (letter,) = svc.status()["dead_letters"]
        assert letter["position"] == position and "NUL" in letter["error"]
