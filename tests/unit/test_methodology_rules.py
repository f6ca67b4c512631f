"""The method's limits, checked at submit, every violation listed in one error."""

import pytest

from domain.errors import MethodologyError, PermissionDeniedError, ValidationError
from domain.rules import MethodologyRules
from tests.builders import draft, metric_kr, open_cycle
from tests.conftest import OWNER, REVIEWER, STRANGER
from tests.people import register_people
from workflows.ledger import OKRLedger


def test_submit_lists_every_violation_at_once(ledger):
    cycle_id = open_cycle(ledger)
    krs = [metric_kr(title=f"kr{i}") for i in range(5)] + [metric_kr(title="flat", target=0)]
    objective_id = draft(ledger, cycle_id, key_results=krs)

    with pytest.raises(MethodologyError) as error:
        ledger.submit(OWNER, objective_id)

    fields = [field for field, _ in error.value.violations]
    assert fields[0] == "key_results" and fields[1].endswith(".target")
    assert ledger.objective(objective_id).state == "draft"


def test_an_objective_needs_at_least_one_active_key_result(ledger):
    objective_id = draft(ledger, open_cycle(ledger))
    kr = next(iter(ledger.objective(objective_id).key_results))
    ledger.remove_key_result(OWNER, objective_id, kr, reason="duplicate")
    with pytest.raises(MethodologyError, match="0 active key results"):
        ledger.submit(OWNER, objective_id)


def test_an_owner_has_at_most_five_objectives_per_cycle(ledger):
    cycle_id = open_cycle(ledger)
    ids = [draft(ledger, cycle_id, title=f"O{i}") for i in range(6)]
    for objective_id in ids[:5]:
        ledger.submit(OWNER, objective_id)
    with pytest.raises(MethodologyError, match="6 objectives"):
        ledger.submit(OWNER, ids[5])

    ledger.cancel(OWNER, ids[0], "merged into another")
    assert ledger.submit(OWNER, ids[5]).subject.state == "in_review"


def test_limits_are_configurable():
    with OKRLedger({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                   rules=MethodologyRules(max_key_results=1)) as ledger:
        register_people(ledger)
        objective_id = draft(ledger, open_cycle(ledger),
                             key_results=[metric_kr(title="a"), metric_kr(title="b")])
        with pytest.raises(MethodologyError, match="allowed: 1 to 1"):
            ledger.submit(OWNER, objective_id)


def test_key_results_are_validated_with_every_fault_named(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(ValidationError) as error:
        draft(ledger, cycle_id, key_results=[
            {"title": "", "kind": "metric"}, {"title": "x", "kind": "vibes"},
            {"title": "y", "kind": "threshold", "direction": "sideways", "target": 20},
            {"title": "z", "kind": "milestone", "due_on": "next week"}])
    fields = {field for field, _ in error.value.violations}
    assert {"key_results[0].title", "key_results[0].start", "key_results[0].target",
            "key_results[1].kind", "key_results[2].direction", "key_results[3].due_on"} <= fields


def test_members_draft_only_their_own_objectives_and_not_as_their_own_reviewer(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(PermissionDeniedError):
        ledger.draft_objective(STRANGER, cycle_id=cycle_id, title="t", owner=OWNER.name,
                               reviewer=REVIEWER.name, level="team")
    with pytest.raises(ValidationError, match="reviewer"):
        ledger.draft_objective(OWNER, cycle_id=cycle_id, title="t", reviewer=OWNER.name,
                               level="team")


def test_objectives_cannot_be_drafted_in_a_closed_cycle(ledger):
    from tests.conftest import ADMIN
    cycle_id = open_cycle(ledger)
    ledger.close_cycle(ADMIN, cycle_id)
    with pytest.raises(ValidationError, match="closed"):
        draft(ledger, cycle_id)


@pytest.mark.parametrize("target", [5e-324, -1e-320, 1e-300])
def test_a_target_a_subnormal_amount_from_its_start_is_refused_at_submit(ledger, target):
    """Regression: such a KR was accepted and read back with `progress: null`."""
    objective_id = draft(ledger, open_cycle(ledger),
                         key_results=[metric_kr(title="tiny", start=0, target=target)])
    with pytest.raises(MethodologyError, match="'tiny': target must differ from start"):
        ledger.submit(OWNER, objective_id)
