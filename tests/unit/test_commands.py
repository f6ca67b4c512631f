"""One command, one moment: every event a command records shares its time, its command id and
the role its actor acted in."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from domain.commands import current_command
from domain.cycle import Cycle
from tests.builders import active, draft, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER
from tests.people import register_people
from workflows.event_metadata import metadata_of


def stored_events(ledger, after=0):
    return [ledger.mapper.to_domain_event(n)
            for n in ledger.recorder.select_notifications(start=after + 1, limit=10_000)]


def test_every_event_of_one_command_shares_its_time_and_command_id(ledger):
    people_registered = ledger.recorder.max_notification_id()
    cycle_id = open_cycle(ledger)
    objective_id = draft(ledger, cycle_id, key_results=[metric_kr(title=t) for t in "abc"])
    drafted = [e for e in stored_events(ledger) if metadata_of(e).get("role") == "owner"]
    assert len(drafted) == 6  # Drafted, three KeyResultAdded, the owner's index made and listed
    assert len({e.timestamp for e in drafted}) == 1
    assert len({metadata_of(e)["command_id"] for e in drafted}) == 1
    ledger.submit(OWNER, objective_id)
    commands = {metadata_of(e)["command_id"] for e in stored_events(ledger, people_registered)}
    assert len(commands) == 4  # open, start, draft, submit


def test_each_event_records_the_role_its_actor_acted_in(ledger):
    objective_id = active(ledger, open_cycle(ledger))
    ledger.cancel(ADMIN, objective_id, "reorganised")
    roles = [(type(e).__name__, metadata_of(e)["role"]) for e in stored_events(ledger)
             if type(e).__qualname__.startswith(("Objective.", "Cycle."))]
    assert roles == [("Opened", "admin"), ("Started", "admin"), ("Drafted", "owner"),
                     ("KeyResultAdded", "owner"), ("Submitted", "owner"),
                     ("Approved", "reviewer"), ("Cancelled", "admin")]


def test_an_admin_drafting_for_someone_acts_as_admin(ledger):
    cycle_id = open_cycle(ledger)
    register_people(ledger, ("olga",))
    draft(ledger, cycle_id, owner="olga")
    drafted = next(e for e in stored_events(ledger) if type(e).__name__ == "Drafted")
    assert metadata_of(drafted)["role"] == "admin" and drafted.actor == ADMIN.name


def test_an_event_made_outside_any_command_has_no_command_metadata(ledger):
    cycle = Cycle.open(name="Q", starts_on="2026-01-01", ends_on="2026-03-31", actor="x")
    assert current_command() is None
    ledger.save_all(cycle)
    assert metadata_of(stored_events(ledger)[-1]) == {}


def test_a_retried_command_keeps_its_id_and_takes_a_fresh_time(ledger):
    seen = []

    def attempt():
        context = current_command()
        seen.append((context.command_id, context.moment()))
        if len(seen) < 3:
            raise IntegrityError("another writer won")
        return "done"

    assert ledger.retrying(attempt, REVIEWER.name, None) == "done"
    assert len({command_id for command_id, _ in seen}) == 1
    assert len({moment for _, moment in seen}) == 3
    assert current_command() is None
