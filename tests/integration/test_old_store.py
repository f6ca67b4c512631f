"""Stores written by earlier layouts still load: events, snapshots and histories read the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from workflows.event_metadata import metadata_of
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state
from workflows.settings import persistence_env

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_v1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())


@pytest.fixture
def old_ledger(tmp_path: Path) -> Any:
    shutil.copy(FIXTURE / "okr.sqlite3", tmp_path / "okr.sqlite3")
    ledger = OKRLedger(persistence_env(data_dir=tmp_path, database_url=""))
    yield ledger
    ledger.close()


def same_as_recorded(now: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    """The fields recorded then, as read now (fields added since are not compared)."""
    krs = {kr["id"]: kr for kr in now["key_results"]}
    shown = {name: now.get(name) for name in then if name != "key_results"}
    shown["key_results"] = [{name: krs[kr["id"]].get(name) for name in kr}
                            for kr in then["key_results"]]
    return shown


@pytest.mark.parametrize("objective_id", sorted(EXPECTED["objectives"]))
def test_every_version_of_an_old_objective_reads_as_it_did(old_ledger: OKRLedger,
                                                           objective_id: str) -> None:
    recorded = EXPECTED["objectives"][objective_id]
    for then in recorded["versions"]:
        now = objective_state(old_ledger.objective_at(objective_id, version=then["version"]))
        assert same_as_recorded(now, then) == then


@pytest.mark.parametrize("objective_id", sorted(EXPECTED["objectives"]))
def test_an_old_objective_loads_through_its_snapshots_as_it_did(old_ledger: OKRLedger,
                                                                 objective_id: str) -> None:
    then = EXPECTED["objectives"][objective_id]["current"]
    assert same_as_recorded(objective_state(old_ledger.objective(objective_id)), then) == then


@pytest.mark.parametrize("objective_id", sorted(EXPECTED["objectives"]))
def test_an_old_history_lists_the_same_events(old_ledger: OKRLedger, objective_id: str) -> None:
    types = [entry["type"] for entry in old_ledger.history(objective_id)]
    assert types == EXPECTED["objectives"][objective_id]["history_types"]


def test_old_cycles_read_as_they_did(old_ledger: OKRLedger) -> None:
    cycles = [{"id": str(c.id), "name": c.name, "state": c.state, "version": c.version}
              for c in old_ledger.list_cycles()]
    assert cycles == EXPECTED["cycles"]


def test_old_events_read_with_the_fields_version_2_added(old_ledger: OKRLedger) -> None:
    """Events stored before commands had ids, reasons everywhere and check-ins ids read with
    what is true of all of them: no command metadata, no reason given, and a check-in id
    derived from the objective and version (the same id on every read)."""
    events: list[Any] = [old_ledger.mapper.to_domain_event(n) for n in
                         old_ledger.recorder.select_notifications(start=1, limit=100_000)]
    assert events and all(metadata_of(e) == {} for e in events)
    submitted = [e for e in events if type(e).__name__ == "Submitted"]
    assert submitted and all(e.reason == "" for e in submitted)
    check_ins = [e for e in events if type(e).__name__ == "CheckedIn"]
    again: list[Any] = [old_ledger.mapper.to_domain_event(n) for n in
             old_ledger.recorder.select_notifications(start=1, limit=100_000)
             if n.topic.endswith("CheckedIn")]
    ids = [e.check_in_id for e in check_ins]
    assert len(set(ids)) == len(ids) == 29 and ids == [e.check_in_id for e in again]
