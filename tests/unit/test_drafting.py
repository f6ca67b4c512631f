"""The objective owns its creation: `Objective.draft` and `Objective.carry_into`, no ledger."""

from __future__ import annotations

import pytest

from domain.cycle import Cycle
from domain.errors import ValidationError
from domain.objective import Objective
from domain.steps import Step
from tests.builders import metric_kr


def cycle(name: str = "2026-Q4", starts_on: str = "2026-10-01", *, closed: bool = False) -> Cycle:
    opened = Cycle.open(name=name, starts_on=starts_on, ends_on="2027-12-31", actor="ada")
    if closed:
        opened.start(Step("start", "planning", "active", "ada"))
        opened.close(Step("close", "active", "closed", "ada"))
    return opened


def nothing(_: str) -> None:
    return None


def draft(in_cycle: Cycle, **overrides: object) -> Objective:
    fields: dict = {"actor": "bob", "owner": "bob", "reviewer": "rita", "title": "Delight",
                    "level": "team", "key_results": [metric_kr()], "lookup": nothing}
    return Objective.draft(in_cycle, **{**fields, **overrides})


def faults(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [field for field, _ in error.value.violations]


def test_a_draft_starts_with_its_key_results_in_the_cycles_scoring_policy():
    objective = draft(cycle())
    assert (objective.state, objective.owner, objective.scoring_policy) == ("draft", "bob", "grade")
    assert [kr.title for kr in objective.active_key_results] == ["Weekly active users"]
    assert [type(event).__name__ for event in objective.collect_events()] == [
        "Drafted", "KeyResultAdded"]


def test_a_draft_lists_every_fault_of_its_own_fields_at_once():
    with pytest.raises(ValidationError) as error:
        draft(cycle(closed=True), title="", reviewer="bob", level="company", parent_id="p")
    assert faults(error) == ["title", "reviewer", "parent_id", "cycle_id"]


def test_first_key_results_are_named_by_their_place_in_the_list():
    with pytest.raises(ValidationError) as error:
        draft(cycle(), key_results=[metric_kr(), metric_kr(weight=0, colour="red")])
    assert sorted(faults(error)) == ["key_results[1].colour", "key_results[1].weight"]


def test_alignment_targets_are_found_through_the_lookup_it_is_given():
    with pytest.raises(ValidationError) as error:
        draft(cycle(), parent_id="3f2504e0-4f89-11d3-9a0c-0305e82c3301")
    assert error.value.violations == [
        ("parent_id", "no objective 3f2504e0-4f89-11d3-9a0c-0305e82c3301")]


def test_carrying_over_copies_the_definition_into_the_later_cycle_and_marks_the_source():
    first, later = cycle(), cycle("2027-Q1", "2027-01-01")
    source = draft(first, parent_id=None)
    source.cancel(Step("cancel", "draft", "cancelled", "bob"), "deprioritised")

    copy = Objective.carry_into(source, Step("carry_over", "cancelled", "cancelled", "bob"),
                                cycle=later, from_cycle=first)

    assert (copy.cycle_id, copy.state, copy.carried_over_from) == (
        str(later.id), "draft", str(source.id))
    assert [kr.title for kr in copy.active_key_results] == ["Weekly active users"]
    assert source.carried_over_to == [str(copy.id)]


def test_carrying_over_needs_a_later_open_cycle():
    first = cycle()
    source = draft(first)
    source.cancel(Step("cancel", "draft", "cancelled", "bob"), "deprioritised")
    with pytest.raises(ValidationError) as error:
        Objective.carry_into(source, Step("carry_over", "cancelled", "cancelled", "bob"),
                             cycle=cycle("old", "2026-01-01", closed=True), from_cycle=first)
    assert [message for _, message in error.value.violations] == [
        "must be a cycle starting after 2026-Q4", "the target cycle is closed"]
