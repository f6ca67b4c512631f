"""Events record where their command came from, outside their data, and load as before."""

from __future__ import annotations

from tests.builders import active, open_cycle
from tests.conftest import OWNER
from workflows.event_metadata import metadata_of, recording_origin


def test_every_event_saved_within_an_origin_records_it_and_the_objective_reads_the_same(
        stored_ledger):
    ledger = stored_ledger
    cycle_id = open_cycle(ledger)
    with recording_origin(request_id="req-7", trace_id=None):
        objective_id = active(ledger, cycle_id)
    before = ledger.objective(objective_id)
    history = ledger.history(objective_id)
    assert {entry["request_id"] for entry in history} == {"req-7"}
    stored = list(ledger.events.get(before.id))
    assert all(metadata_of(event)["request_id"] == "req-7" for event in stored)
    assert ledger.objective_at(objective_id, version=before.version).title == before.title


def test_outside_an_origin_events_record_none(ledger):
    cycle_id = open_cycle(ledger)
    with recording_origin(request_id="req-1"):
        pass
    objective_id = active(ledger, cycle_id)
    ledger.cancel(OWNER, objective_id, "moot")
    assert all("request_id" not in metadata_of(event) for event in ledger.events.get(
        ledger.objective(objective_id).id))
