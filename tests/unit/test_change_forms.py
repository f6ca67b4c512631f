"""The objective page's forms that change it mid-cycle: propose an adjustment (a field left as
it is proposes nothing), correct a check-in, hand the review over; each fault named by the
form's own field, nothing written for a refusal."""

from __future__ import annotations

import pytest

from domain.errors import PermissionDeniedError
from tests.builders import active, first_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER, STRANGER
from web.action_forms import submit_form
from web.form_choices import correctable
from workflows.ledger import OKRLedger


@pytest.fixture
def running(ledger: OKRLedger) -> str:
    return active(ledger, open_cycle(ledger))


def shown(ledger: OKRLedger, objective_id: str) -> dict[str, str]:
    """The adjustment form as the page fills it: the objective as it is, and its version."""
    objective = ledger.objective(objective_id)
    form = {"version": str(objective.version), "objective.title": objective.title,
            "objective.description": objective.description,
            "objective.parent_id": objective.parent_id or "", "objective.supports": ""}
    for kr in objective.active_key_results:
        form.update({f"kr.{kr.id}.start": str(kr.start), f"kr.{kr.id}.target": str(kr.target),
                     f"kr.{kr.id}.unit": kr.unit, f"kr.{kr.id}.title": kr.title,
                     f"kr.{kr.id}.challenge": kr.challenge, f"kr.{kr.id}.weight": str(kr.weight)})
    return form


def test_only_the_fields_edited_are_proposed(ledger, running):
    kr = first_kr(ledger, running)
    form = {**shown(ledger, running), f"kr.{kr}.target": "80",
            "objective.description": "now with\r\na second line", "reason": "half moved"}
    outcome = submit_form(ledger, OWNER, running, "propose_adjustment", form)
    objective = ledger.objective(running)
    assert outcome.written and objective.state == "adjusting"
    changes = objective.adjustments[objective.pending_adjustment_id].changes
    assert [(change["op"], change["after"]) for change in changes] == [
        ("edit_objective", {"description": "now with\na second line"}),
        ("retarget_key_result", {"target": 80.0})]


def test_removing_and_adding_key_results(ledger, running):
    kr = first_kr(ledger, running)
    form = {**shown(ledger, running), f"kr.{kr}.remove": "yes", "new.title": "Churn",
            "new.kind": "metric", "new.start": "10", "new.target": "5", "new.unit": "%",
            "reason": "we measure churn instead"}
    assert submit_form(ledger, ADMIN, running, "propose_adjustment", form).written
    objective = ledger.objective(running)
    changes = objective.adjustments[objective.pending_adjustment_id].changes
    assert [change["op"] for change in changes] == ["remove_key_result", "add_key_result"]
    assert changes[1]["after"] == {"kind": "metric", "title": "Churn", "start": 10.0,
                                   "target": 5.0, "unit": "%"}


def test_a_form_left_as_it_was_proposes_nothing_and_says_so(ledger, running):
    before = ledger.objective(running).version
    outcome = submit_form(ledger, OWNER, running, "propose_adjustment",
                          {**shown(ledger, running), "reason": "why not"})
    assert list(outcome.errors) == ["changes"] and "at least one change" in outcome.errors[
        "changes"]
    assert ledger.objective(running).version == before


def test_the_ledgers_faults_come_back_by_the_forms_field(ledger, running):
    kr = first_kr(ledger, running)
    outcome = submit_form(ledger, OWNER, running, "propose_adjustment", {
        **shown(ledger, running), f"kr.{kr}.target": "0", "new.title": "Churn",
        "new.kind": "metric", "new.target": "5", "reason": "scope"})
    assert set(outcome.errors) == {f"kr.{kr}.target", "new.start"}
    assert ledger.objective(running).state == "active"


def test_a_target_that_is_no_number_is_named_before_the_ledger_sees_it(ledger, running):
    kr = first_kr(ledger, running)
    outcome = submit_form(ledger, OWNER, running, "propose_adjustment", {
        **shown(ledger, running), f"kr.{kr}.target": "eighty", "reason": "scope"})
    assert list(outcome.errors) == [f"kr.{kr}.target"]


def test_realigning_to_another_objective_of_the_cycle(ledger, running):
    other = active(ledger, ledger.objective(running).cycle_id, title="Grow revenue")
    outcome = submit_form(ledger, OWNER, running, "propose_adjustment", {
        **shown(ledger, running), "objective.supports": f",{other}", "reason": "it helps"})
    objective = ledger.objective(running)
    assert outcome.written
    [change] = objective.adjustments[objective.pending_adjustment_id].changes
    assert (change["op"], change["after"]) == ("realign", {"supports": [other]})


def checked_in(ledger: OKRLedger, objective_id: str) -> str:
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=450, confidence=0.6, note="typo")
    [point] = ledger.history(objective_id)[-1:]
    return str(point["data"]["check_in_id"])


def test_the_owner_corrects_a_check_in(ledger, running):
    check_in_id = checked_in(ledger, running)
    outcome = submit_form(ledger, OWNER, running, "correct_check_in", {
        "version": str(ledger.objective(running).version), "check_in_id": check_in_id,
        "value": "45", "done": "", "confidence": "", "note": "", "reason": "typed 450 for 45"})
    kr = ledger.objective(running).key_results[first_kr(ledger, running)]
    assert outcome.written and (kr.current, kr.confidence) == (45, 0.6)


def test_a_correction_without_a_reason_or_of_no_check_in_is_refused_by_field(ledger, running):
    check_in_id = checked_in(ledger, running)
    version = ledger.objective(running).version
    no_reason = submit_form(ledger, OWNER, running, "correct_check_in", {
        "version": str(version), "check_in_id": check_in_id, "value": "45", "reason": ""})
    unknown = submit_form(ledger, OWNER, running, "correct_check_in", {
        "version": str(version), "check_in_id": "nope", "value": "45", "reason": "typo"})
    assert list(no_reason.errors) == ["reason"]
    assert list(unknown.errors) == ["check_in_id"]
    assert ledger.objective(running).version == version


def test_the_reviewer_hands_the_review_over(ledger, running):
    outcome = submit_form(ledger, REVIEWER, running, "hand_over_review", {
        "version": str(ledger.objective(running).version), "reviewer": STRANGER.name,
        "reason": "rita moves team"})
    assert outcome.written and ledger.objective(running).reviewer == STRANGER.name


def test_a_hand_over_to_the_owner_is_refused_by_field(ledger, running):
    outcome = submit_form(ledger, REVIEWER, running, "hand_over_review", {
        "version": str(ledger.objective(running).version), "reviewer": OWNER.name,
        "reason": "why not"})
    assert list(outcome.errors) == ["reviewer"]
    assert ledger.objective(running).reviewer == REVIEWER.name


@pytest.mark.parametrize(("person", "action"), [(OWNER, "hand_over_review"),
                                                (REVIEWER, "propose_adjustment"),
                                                (REVIEWER, "correct_check_in"),
                                                (STRANGER, "hand_over_review")])
def test_a_person_the_workflow_does_not_name_gets_no_change_form(ledger, running, person,
                                                                 action):
    before = ledger.objective(running).version
    with pytest.raises(PermissionDeniedError):
        submit_form(ledger, person, running, action, {"version": str(before), "reason": "x"})
    assert ledger.objective(running).version == before


def test_the_correction_lists_the_latest_check_ins_newest_first(ledger, running):
    kr = first_kr(ledger, running)
    series = {kr: [{"check_in_id": f"c{n}", "time": n, "value": n, "done": None,
                    "confidence": 0.5, "corrected": False} for n in range(30)]}
    choices = correctable(ledger.objective(running), series)
    assert [choice.check_in_id for choice in choices] == [f"c{n}" for n in range(29, 9, -1)]
