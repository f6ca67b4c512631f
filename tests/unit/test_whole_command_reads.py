"""Property: every time-travel read (at a command's last version, at any moment, at any log
position) shows the objective as it stood after some whole command, never in the middle of
one. Random histories draft with two key results (one command, three events) and carry on."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import NotFoundError
from domain.rules import MethodologyRules
from tests.command_sequences import random_history
from tests.people import register_people
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state
from workflows.recorded_commands import command_ends

MICROSECOND = timedelta(microseconds=1)


def states_after_whole_commands(ledger, objective_id):
    return [objective_state(command.after)
            for command in ledger.recorded_commands(objective_id)]


def read_or_none(read):
    try:
        return objective_state(read())
    except NotFoundError:  # before the objective's first command
        return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_time_travel_read_equals_the_state_after_some_whole_command(data):
    with OKRLedger({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                   rules=MethodologyRules()) as ledger:
        register_people(ledger)
        objective_id, _ = random_history(ledger, data, max_steps=12)
        whole = states_after_whole_commands(ledger, objective_id)
        events = list(ledger.events.get(ledger.objective(objective_id).id))
        reads = [lambda v=v: ledger.objective_at(objective_id, version=v)
                 for v in command_ends(events)]
        moments = {event.timestamp + delta for event in events
                   for delta in (-MICROSECOND, timedelta(0), MICROSECOND)}
        reads += [lambda m=m: ledger.objective_at(objective_id, as_of=m) for m in moments]
        last = ledger.recorder.max_notification_id() or 0
        reads += [lambda p=p: ledger.objective_at(objective_id, at_position=p)
                  for p in range(last + 1)]
        seen = [read_or_none(read) for read in reads]
        assert all(state is None or state in whole for state in seen)
        assert whole[-1] in seen and len(whole) == len(command_ends(events))


def test_a_read_inside_the_drafting_command_is_not_found_and_at_its_end_shows_every_kr(ledger):
    from tests.builders import draft, open_cycle
    cycle_id = open_cycle(ledger)
    start = ledger.recorder.max_notification_id()
    objective_id = draft(ledger, cycle_id, key_results=[
        {"title": "a", "kind": "milestone"}, {"title": "b", "kind": "milestone"}])
    end = ledger.recorder.max_notification_id()
    for inside in range(start + 1, end):
        try:
            ledger.objective_at(objective_id, at_position=inside)
        except NotFoundError:
            continue
        raise AssertionError(f"a read at {inside} showed half a draft")
    assert len(ledger.objective_at(objective_id, at_position=end).key_results) == 2
