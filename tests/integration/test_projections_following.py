"""Following the log on SQLite and PostgreSQL: restarts, rebuilds, other processes, waiting."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from projections.service import ProjectionService
from tests.builders import active, first_kr, metric_kr, open_cycle
from tests.conftest import OWNER, REVIEWER
from tests.people import with_people
from tests.projection_helpers import all_views, comes_true
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import persistence_env


def some_history(ledger):
    cycle_id = open_cycle(ledger)
    parent = active(ledger, cycle_id, title="Parent")
    child = active(ledger, cycle_id, parent_id=parent, key_results=[metric_kr(), metric_kr()])
    kr = first_kr(ledger, child)
    for value in (10, 40, 70):
        ledger.check_in(OWNER, child, kr, value=value, confidence=0.5)
    adjustment = ledger.propose_adjustment(OWNER, child, "harder", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 90}]).created_id
    ledger.approve_adjustment(REVIEWER, child, adjustment)
    ledger.cancel(OWNER, parent, "merged")
    return cycle_id


def test_a_follower_stopped_mid_stream_resumes_to_the_same_views(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, batch_size=4) as first:
        first.follower.step()
        first.follower.step()
        assert first.position() == 8
    with ProjectionService(store_env, batch_size=4) as restarted:
        restarted.catch_up()
        resumed = all_views(restarted, stored_ledger, [cycle_id])
        restarted.rebuild()
        assert all_views(restarted, stored_ledger, [cycle_id]) == resumed
        assert resumed["position"] == stored_ledger.recorder.max_notification_id()


def test_views_left_at_different_positions_each_resume_from_their_own(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, batch_size=3) as svc:
        svc.catch_up()
        uninterrupted = all_views(svc, stored_ledger, [cycle_id])
        svc.views["audit"].recorder.drop(stored_ledger.name)
        svc.views["tree"].recorder.drop(stored_ledger.name)
        svc.follower.step()
        assert svc.follower.positions() == {"tree": 3, "audit": 3,
                                            "check_ins": uninterrupted["position"],
                                            "decisions": uninterrupted["position"]}
        svc.catch_up()
        assert all_views(svc, stored_ledger, [cycle_id]) == uninterrupted


def test_two_followers_at_once_apply_every_event_exactly_once(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env, batch_size=2) as one, \
            ProjectionService(store_env, batch_size=3) as other:
        errors = []

        def follow(svc):
            try:
                svc.catch_up()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=follow, args=(svc,)) for svc in (one, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        together = all_views(one, stored_ledger, [cycle_id])
        one.rebuild()
        assert all_views(one, stored_ledger, [cycle_id]) == together


def test_rebuilding_one_view_replays_the_whole_log_into_it(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env) as svc:
        svc.catch_up()
        before = all_views(svc, stored_ledger, [cycle_id])
        assert svc.rebuild("check_ins") == before["position"]
        assert all_views(svc, stored_ledger, [cycle_id]) == before
        assert svc.view_names() == ["tree", "audit", "check_ins", "decisions"]


def test_the_background_follower_gives_read_your_writes(stored_ledger, store_env):
    cycle_id = open_cycle(stored_ledger)
    with ProjectionService(store_env, ledger=stored_ledger) as svc:
        svc.start()
        result = stored_ledger.draft_objective(OWNER, cycle_id=cycle_id, title="Fresh",
                                               reviewer=REVIEWER.name, level="team",
                                               key_results=[metric_kr()])
        assert svc.wait_for(result.position, timeout=10)
        assert [node["title"] for node in svc.tree(cycle_id)] == ["Fresh"]
        assert not svc.wait_for(result.position + 1, timeout=0.2)
        svc.stop()


def test_a_save_through_the_ledger_wakes_its_views_without_a_poll(stored_ledger, store_env):
    cycle_id = open_cycle(stored_ledger)
    with ProjectionService(store_env, ledger=stored_ledger, poll_interval=3600) as svc:
        svc.start()
        assert comes_true(lambda: svc.position() == stored_ledger.recorder.max_notification_id())
        result = stored_ledger.draft_objective(OWNER, cycle_id=cycle_id, title="Woken",
                                               reviewer=REVIEWER.name, level="team",
                                               key_results=[metric_kr()])
        assert comes_true(lambda: svc.position() >= result.position)
        assert [node["title"] for node in svc.tree(cycle_id)] == ["Woken"]


def test_views_listen_for_new_events_where_the_store_can_notify_and_poll_elsewhere(store_env):
    postgres = store_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    with ProjectionService(store_env) as svc:
        svc.start()
        assert comes_true(lambda: svc.following.listening, timeout=10 if postgres else 0.5) \
            == postgres


@pytest.mark.postgres
def test_on_postgresql_a_write_by_another_ledger_reaches_the_views_without_a_poll():
    with postgres_database() as url:
        env = with_people(persistence_env(database_url=url))
        with OKRLedger(env) as writer, ProjectionService(env, poll_interval=3600) as svc:
            cycle_id = open_cycle(writer)
            svc.start()
            assert comes_true(lambda: svc.following.listening)
            assert comes_true(lambda: svc.position() == writer.recorder.max_notification_id())
            objective_id = active(writer, cycle_id, title="Written elsewhere")
            position = writer.check_in(OWNER, objective_id, first_kr(writer, objective_id),
                                       value=50, confidence=0.5).position
            assert comes_true(lambda: svc.position() >= position)
            (node,) = svc.tree(cycle_id)
            assert (node["title"], node["progress"]) == ("Written elsewhere", 0.5)


WRITER = """
import json, sys
from tests.builders import active, first_kr
from tests.conftest import OWNER
from workflows.ledger import OKRLedger
env, cycle_id = json.loads(sys.argv[1]), sys.argv[2]
with OKRLedger(env) as ledger:
    objective_id = active(ledger, cycle_id, title="From elsewhere")
    kr = first_kr(ledger, objective_id)
    print(ledger.check_in(OWNER, objective_id, kr, value=50, confidence=0.5).position)
"""

FOLLOWER = """
import json, sys
from projections.service import ProjectionService
with ProjectionService(json.loads(sys.argv[1])) as svc:
    print(svc.catch_up())
"""


def run_python(code, *args):
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=60, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_a_server_follows_writes_made_by_another_process(stored_ledger, store_env):
    cycle_id = open_cycle(stored_ledger)
    with ProjectionService(store_env) as svc:
        svc.start()
        position = run_python(WRITER, json.dumps(store_env), cycle_id)
        assert svc.wait_for(position, timeout=10)
        (node,) = svc.tree(cycle_id)
        assert (node["title"], node["progress"]) == ("From elsewhere", 0.5)


def test_views_built_by_a_separate_process_are_read_here(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    position = run_python(FOLLOWER, json.dumps(store_env))
    with ProjectionService(store_env) as reader:
        assert reader.position() == position == stored_ledger.recorder.max_notification_id()
        assert len(reader.adjustments(cycle_id=cycle_id)) == 1


def test_a_tree_read_again_shows_what_changed_since(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env) as reader, ProjectionService(store_env) as writer:
        writer.catch_up()
        (child,) = reader.tree(cycle_id)[0]["children"]
        stored_ledger.check_in(OWNER, child["id"], first_kr(stored_ledger, child["id"]),
                               value=90, confidence=0.9)
        active(stored_ledger, cycle_id, title="Newcomer")
        writer.catch_up()

        roots = reader.tree(cycle_id)
        assert [root["title"] for root in roots] == ["Parent", "Newcomer"]
        assert roots[0]["children"][0]["progress"] == 0.5
        assert reader.summary(cycle_id, stale_days=7)["objectives"] == 3


OKR = str(Path(sys.executable).parent / "okr")


def command_env(store_env, tmp_path):
    """The environment a separate process reads its store from, as the server does."""
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        return {"OKR_DATA_DIR": str(tmp_path), "OKR_DATABASE_URL": ""}
    url = (f"postgresql://{store_env['POSTGRES_USER']}@{store_env['POSTGRES_HOST']}:"
           f"{store_env['POSTGRES_PORT']}/{store_env['POSTGRES_DBNAME']}")
    return {"OKR_DATABASE_URL": url}


def test_a_separate_follower_process_keeps_the_views_up_to_date(stored_ledger, store_env,
                                                                tmp_path):
    cycle_id = open_cycle(stored_ledger)
    env = {**os.environ, **command_env(store_env, tmp_path)}
    follower = subprocess.Popen([OKR, "projections", "follow"], env=env,
                                stdout=subprocess.PIPE, text=True)
    try:
        assert follower.stdout.readline().startswith("following from position")
        result = stored_ledger.draft_objective(OWNER, cycle_id=cycle_id, title="Seen",
                                               reviewer=REVIEWER.name, level="team",
                                               key_results=[metric_kr()])
        with ProjectionService(store_env) as reader:
            assert reader.wait_for(result.position, timeout=15)
            assert [node["title"] for node in reader.tree(cycle_id)] == ["Seen"]
    finally:
        follower.send_signal(signal.SIGTERM)
        assert follower.wait(timeout=30) == 0


def test_the_rebuild_command_replays_the_log(stored_ledger, store_env, tmp_path):
    some_history(stored_ledger)
    env = {**os.environ, **command_env(store_env, tmp_path)}
    done = subprocess.run([OKR, "projections", "rebuild", "audit"], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    last = stored_ledger.recorder.max_notification_id()
    assert done.stdout == f"rebuilt audit up to position {last}\n"
