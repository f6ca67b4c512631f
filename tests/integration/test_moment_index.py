"""Time travel by moment on real stores: the timestamp index, and stores written before it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from domain.errors import NotFoundError
from domain.objective import Objective
from domain.rules import MethodologyRules
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state
from workflows.settings import persistence_env

OLD_STORE = Path(__file__).parent.parent / "fixtures" / "store_v1"
OLD_OBJECTIVES = json.loads((OLD_STORE / "expected.json").read_text())["objectives"]


def moments(ledger: OKRLedger, objective_id: str) -> list[datetime]:
    """When each version was recorded, oldest first."""
    return [datetime.fromisoformat(entry["time"]) for entry in ledger.history(objective_id)]


def version_at(times: list[datetime], moment: datetime) -> int:
    """The version reached at `moment`: the one before the first recorded after it."""
    return next((v for v, at in enumerate(times, start=1) if at > moment), len(times) + 1) - 1


def assert_every_moment_reads_its_version(ledger: OKRLedger, objective_id: str, *,
                                          indexed: bool) -> None:
    times = moments(ledger, objective_id)
    for moment in times:
        for probe in (moment - timedelta(microseconds=1), moment):
            version = version_at(times, probe)
            if version == 0:
                with pytest.raises(NotFoundError):
                    ledger.objective_at(objective_id, as_of=probe)
                continue
            assert objective_state(ledger.objective_at(objective_id, as_of=probe)) == \
                objective_state(ledger.objective_at(objective_id, version=version))
        found = ledger.moments.first_version_after(UUID(objective_id), moment)
        assert found.indexed is indexed
        following = version_at(times, moment) + 1
        assert not indexed or found.first_version_after == (
            following if following <= len(times) else None)


def test_each_moment_reads_the_version_recorded_then_on_a_real_store(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    for value in range(12):
        stored_ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)
    assert_every_moment_reads_its_version(stored_ledger, objective_id, indexed=True)


def test_a_clock_that_stepped_back_cannot_show_a_version_without_one_before_it(stored_ledger,
                                                                              monkeypatch):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    start = stored_ledger.objective(objective_id).version
    noon = datetime.now(UTC) + timedelta(hours=1)
    clock = iter([noon, noon - timedelta(minutes=30), noon + timedelta(minutes=5)])
    monkeypatch.setattr(Objective.Event, "create_timestamp", staticmethod(lambda: next(clock)))
    for value in (10, 20, 30):
        stored_ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5)
    monkeypatch.undo()

    at = stored_ledger.objective_at(objective_id, as_of=noon - timedelta(minutes=10))
    assert at.version == start  # the check-in stamped 11:30 came after the one stamped 12:00
    assert stored_ledger.objective_at(objective_id, as_of=noon).version == start + 2
    assert_every_moment_reads_its_version(stored_ledger, objective_id, indexed=True)


def test_writers_that_raced_leave_one_index_row_per_version(stored_ledger):
    objective_id = active(stored_ledger, open_cycle(stored_ledger))
    kr = first_kr(stored_ledger, objective_id)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda value: stored_ledger.check_in(OWNER, objective_id, kr, value=value,
                                                           confidence=0.5), range(18)))
    assert_every_moment_reads_its_version(stored_ledger, objective_id, indexed=True)


@pytest.fixture
def old_ledger(tmp_path: Path) -> Iterator[OKRLedger]:
    shutil.copy(OLD_STORE / "okr.sqlite3", tmp_path / "okr.sqlite3")
    with OKRLedger(persistence_env(data_dir=tmp_path, database_url=""),
                   rules=MethodologyRules()) as ledger:
        yield ledger


@pytest.mark.parametrize("objective_id", sorted(OLD_OBJECTIVES))
def test_a_store_written_before_the_index_reads_by_moment_from_its_events(old_ledger,
                                                                         objective_id):
    assert_every_moment_reads_its_version(old_ledger, objective_id, indexed=False)


def test_an_old_objective_checked_in_after_the_upgrade_reads_by_moment_across_both(old_ledger):
    objective_id, then = next((oid, o["current"]) for oid, o in sorted(OLD_OBJECTIVES.items())
                              if o["current"]["state"] == "active")
    kr = next(kr for kr in then["key_results"] if kr["kind"] != "milestone")
    old_ledger.check_in(Actor(then["owner"]), objective_id, kr["id"], value=1, confidence=0.5)
    assert old_ledger.objective(objective_id).version == then["version"] + 1
    assert_every_moment_reads_its_version(old_ledger, objective_id, indexed=False)
