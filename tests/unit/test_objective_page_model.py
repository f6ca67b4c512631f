"""What the objective page is built from: the history read as commands, the fields each
command changed, KR rows with original and adjusted targets, and each KR's chart data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from projections.service import ProjectionService
from projections.times import to_micros
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER, REVIEWER
from web.chart_data import chart_data
from web.charts import render_chart
from web.command_spans import Steps
from web.commands_view import command_steps, step_of_version
from web.objective_page import steps_of, timeline_of
from web.objective_view import Changed, field_rows, key_result_rows
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state


@pytest.fixture
def retargeted(ledger: OKRLedger) -> tuple[str, str]:
    """An objective checked in twice, retargeted from 100 to 80, then a rejected retarget."""
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=10, confidence=0.5, note="slow start")
    approved = ledger.propose_adjustment(OWNER, objective_id, "scope cut", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 80}]).created_id
    ledger.approve_adjustment(REVIEWER, objective_id, approved, "fair")
    ledger.check_in(OWNER, objective_id, kr, value=40, confidence=0.7)
    rejected = ledger.propose_adjustment(OWNER, objective_id, "lower again", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 50}]).created_id
    ledger.reject_adjustment(REVIEWER, objective_id, rejected, "no")
    return objective_id, kr


@pytest.fixture
def views(ledger: OKRLedger) -> Iterator[ProjectionService]:
    with ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger) as svc:
        yield svc


def test_a_draft_and_its_first_key_results_are_one_command(ledger, retargeted):
    steps = command_steps(ledger.history(retargeted[0]))
    assert [step.action for step in steps] == [
        "drafted", "submitted for review", "approved", "checked in", "proposed an adjustment",
        "approved an adjustment", "checked in", "proposed an adjustment",
        "rejected an adjustment"]
    assert (steps[0].first_version, steps[0].version) == (1, 2)
    assert steps[0].event_types == ("Drafted", "KeyResultAdded")
    assert [s.index for s in steps] == list(range(1, 10))


def test_a_step_says_who_acted_and_why(ledger, retargeted):
    steps = command_steps(ledger.history(retargeted[0]))
    assert (steps[3].actor, steps[3].why, steps[3].key_result_id) == (
        OWNER.name, "slow start", retargeted[1])
    assert (steps[5].actor, steps[5].why) == (REVIEWER.name, "fair")


def test_every_version_belongs_to_the_command_that_recorded_it(ledger, retargeted):
    steps = command_steps(ledger.history(retargeted[0]))
    assert step_of_version(steps, 2).index == 1
    assert step_of_version(steps, 7).action == "approved an adjustment"


def test_the_retargeting_command_changed_the_target(ledger, retargeted):
    objective_id, kr = retargeted
    changed = Changed.of(ledger.diff(objective_id, 6, 7))
    rows = key_result_rows(objective_state(ledger.objective_at(objective_id, version=7)), changed)
    assert rows[0].is_changed("target") and not rows[0].is_changed("title")
    assert (rows[0].original_target, rows[0].adjusted_target) == ("100 users", "80 users")
    before = key_result_rows(objective_state(ledger.objective_at(objective_id, version=6)))
    assert (before[0].original_target, before[0].adjusted_target) == ("100 users", None)


def test_the_approval_changed_the_state_field(ledger, retargeted):
    objective_id, _ = retargeted
    rows = field_rows(objective_state(ledger.objective_at(objective_id, version=4)),
                      Changed.of(ledger.diff(objective_id, 3, 4)))
    changed = {row.name: row.changed for row in rows}
    assert changed["state"] and not changed["title"]
    assert next(row.value for row in rows if row.name == "state") == "active"


def test_a_first_version_is_all_new(ledger, retargeted):
    state = objective_state(ledger.objective_at(retargeted[0], version=2))
    rows = key_result_rows(state, Changed.everything(state))
    assert rows[0].added and rows[0].is_changed("anything")


def test_the_chart_marks_only_the_approved_retarget(ledger, views, retargeted):
    objective_id, kr_id = retargeted
    views.catch_up()
    kr = objective_state(ledger.objective(objective_id))["key_results"][0]
    chart = chart_data(kr, views.check_ins(objective_id, kr_id),
                       views.adjustments(objective_id=objective_id))
    assert [p.value for p in chart.points] == [10, 40]
    assert [p.confidence for p in chart.points] == [0.5, 0.7]
    assert chart.target == 100
    assert [(r.before, r.after, r.decided_by) for r in chart.retargets] == [
        (100, 80, REVIEWER.name)]
    assert chart.points[0].time < chart.retargets[0].time < chart.points[1].time


def test_the_timeline_is_the_ledgers_one_entry_per_command(ledger, retargeted):
    objective_id, _ = retargeted
    entries = timeline_of(ledger, ledger.objective(objective_id))
    assert len(entries) == len(command_steps(ledger.history(objective_id)))
    approval = entries[5]
    assert (approval.actor, approval.role, approval.why) == (REVIEWER.name, "reviewer", "fair")
    assert "100" in approval.summary and "80" in approval.summary
    assert (approval.first_version, approval.version) == (7, 7)
    assert Changed.of(approval.changes or ()).key_results, "the retarget changed a key result"


def test_a_slider_step_names_the_key_result_a_check_in_reported_on(ledger, retargeted):
    objective = ledger.objective(retargeted[0])
    step = steps_of(ledger, objective)[3]
    assert step.summary == "checked in \u201cWeekly active users\u201d: 10, confidence 0.5"


def test_a_corrected_check_in_is_drawn_at_its_corrected_value_and_says_so(ledger, views,
                                                                          retargeted):
    objective_id, kr_id = retargeted
    views.catch_up()
    first = views.check_ins(objective_id, kr_id)[0]
    ledger.correct_check_in(OWNER, objective_id, first["check_in_id"], value=12,
                            reason="typo")
    views.catch_up()
    kr = objective_state(ledger.objective(objective_id))["key_results"][0]
    chart = chart_data(kr, views.check_ins(objective_id, kr_id),
                       views.adjustments(objective_id=objective_id))
    assert [(p.value, p.corrected_from) for p in chart.points] == [(12, 10), (40, None)]
    assert "first reported 10 users" in render_chart(chart, "c")


def test_slider_steps_read_through_the_views_are_the_historys_steps(ledger, views, retargeted):
    objective_id, kr = retargeted
    views.catch_up()
    ledger.check_in(OWNER, objective_id, kr, value=60, confidence=0.8)  # the views lag behind
    objective = ledger.objective(objective_id)
    whole = steps_of(ledger, objective)

    lazy = steps_of(ledger, objective, views)

    assert len(lazy) == len(whole) == 10
    assert [lazy[i] for i in range(len(lazy))] == list(whole)
    assert (lazy[-1].action, lazy[0].version) == ("checked in", 2)
    assert list(lazy) == list(whole)


def test_a_command_the_views_hold_only_part_of_continues_from_the_history(ledger, retargeted):
    objective = ledger.objective(retargeted[0])
    whole = steps_of(ledger, objective)
    spans = [(to_micros(step.time), step.version - step.first_version + 1) for step in whole]
    saved_since = (2**62, 1)  # a command saved after the objective was read

    for reached in ([(spans[0][0], 1)], [], spans[:4], [*spans, saved_since]):
        steps = Steps(ledger, objective, reached)
        assert len(steps) == len(whole)
        assert [steps[i] for i in range(len(steps))] == list(whole)
