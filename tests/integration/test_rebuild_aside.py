"""`rebuild` builds the views aside and swaps them in: a rebuild that fails leaves them as they
were, and one that succeeds replaces them whole, on SQLite and PostgreSQL."""

import json

import pytest

from api.cli import main
from projections.rebuilding import RebuildFailedError
from projections.service import ProjectionService
from tests.integration.test_projections_following import some_history
from tests.people import register_people
from tests.poison import spoil_event
from tests.projection_helpers import all_views, comes_true
from tests.tampering import delete_version, execute, stored_id
from workflows.settings import Settings


def test_a_rebuild_that_fails_leaves_every_view_as_it_was(stored_ledger, store_env):
    start = stored_ledger.recorder.max_notification_id() or 0  # the people registered
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, ledger=stored_ledger) as svc:
        svc.catch_up()
        spoil_event(store_env, start + 12)  # before reading: a read at a position looks at
        before = all_views(svc, stored_ledger, [cycle_id])  # the log for whole commands

        with pytest.raises(Exception):  # noqa: B017 - whatever the mapper raises for bad bytes
            svc.rebuild()

        assert svc.objectives(cycle_id=cycle_id), "the views were emptied"
        assert all_views(svc, stored_ledger, [cycle_id]) == before


def test_a_rebuild_over_a_deleted_event_fails_and_leaves_the_views_readable(stored_ledger,
                                                                           store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, ledger=stored_ledger) as svc:
        svc.catch_up()
        before = all_views(svc, stored_ledger, [cycle_id])
        objective_id = svc.objectives(cycle_id=cycle_id)[-1]["id"]
        [(next_position,)] = execute(store_env, "SELECT {position} FROM {events} WHERE "
                                     "originator_id = %s AND originator_version = 5",
                                     (stored_id(store_env, objective_id),))
        delete_version(store_env, objective_id, 4)  # the damage: a middle event

        with pytest.raises(RebuildFailedError, match=f"stopped at position {next_position} "):
            svc.rebuild()

        assert all_views(svc, stored_ledger, [cycle_id]) == before, "the views were dropped"


def test_a_rebuild_replaces_the_views_whole_and_can_run_again(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, ledger=stored_ledger) as svc:
        svc.catch_up()
        before = all_views(svc, stored_ledger, [cycle_id])
        for name in (None, "tree", None):
            assert svc.rebuild(name) == before["position"]
            assert all_views(svc, stored_ledger, [cycle_id]) == before


def test_okr_projections_rebuild_says_it_failed_and_leaves_the_views(tmp_path, capsys):
    settings = Settings(data_dir=tmp_path)
    with ProjectionService(settings.persistence_env()) as svc:
        start = register_people(svc.ledger)
        cycle_id = some_history(svc.ledger)
        svc.catch_up()
        before = svc.tree(cycle_id)
    spoil_event(settings.persistence_env(), start + 5)

    assert main(["projections", "rebuild", "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert f"position {start + 5}" in error and "views are as they were" in error
    with ProjectionService(settings.persistence_env()) as svc:
        assert svc.tree(cycle_id) == before


def test_okr_projections_status_shows_the_dead_letters_the_views_stopped_on(tmp_path, capsys):
    settings = Settings(data_dir=tmp_path, view_failure_retries=2)
    with ProjectionService(settings.persistence_env(), poll_interval=0.01,
                           give_up_after=settings.view_failure_retries) as svc:
        start = register_people(svc.ledger)
        some_history(svc.ledger)
        spoil_event(settings.persistence_env(), start + 7)
        svc.start()
        assert comes_true(lambda: svc.following.stopped_at is not None)

    assert main(["projections", "status", "--data-dir", str(tmp_path)]) == 0
    status = json.loads(capsys.readouterr().out)
    reached = start + 6
    assert status["views"]["tree"] == {"position": reached,
                                       "lag": status["log_position"] - reached}
    assert [letter["position"] for letter in status["dead_letters"]] == [start + 7]
