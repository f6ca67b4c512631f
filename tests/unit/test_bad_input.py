"""Bad input gets a clear error naming the field, and nothing is stored."""

import pytest

from domain.errors import NotFoundError, ValidationError
from tests.builders import active, draft, first_kr, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER


def fields_of(error):
    return [field for field, _ in error.value.violations]


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), 10**400, True, "12", None])
def test_check_in_values_must_be_finite_numbers(ledger, bad):
    objective_id = active(ledger, open_cycle(ledger))
    version = ledger.objective(objective_id).version
    with pytest.raises(ValidationError) as error:
        ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=bad,
                        confidence=0.5)
    assert fields_of(error) == ["value"]
    assert ledger.objective(objective_id).version == version


def test_unknown_and_ill_typed_key_result_fields_are_named(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(ValidationError) as error:
        draft(ledger, cycle_id, key_results=[metric_kr(current=50, title=7, weight=-1,
                                                       unit="x" * 500)])
    assert set(fields_of(error)) == {"key_results[0].current", "key_results[0].title",
                                     "key_results[0].weight", "key_results[0].unit"}


def test_texts_have_sane_lengths(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(ValidationError) as error:
        draft(ledger, cycle_id, title="t" * 201, description="d" * 5001)
    assert fields_of(error) == ["title", "description"]


def test_retargeting_a_metric_onto_its_start_is_refused(ledger):
    objective_id = active(ledger, open_cycle(ledger))
    with pytest.raises(ValidationError, match="must differ from start"):
        ledger.propose_adjustment(OWNER, objective_id, "x", [
            {"op": "retarget_key_result", "key_result_id": first_kr(ledger, objective_id),
             "target": 0}])


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_not_found(ledger, bad_id):
    with pytest.raises(NotFoundError):
        ledger.objective(bad_id)
    with pytest.raises(NotFoundError):
        ledger.start_cycle(ADMIN, bad_id)


def test_a_cycle_id_is_not_an_objective_id(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(NotFoundError):
        ledger.objective(cycle_id)


def test_cycles_need_a_name_and_ordered_iso_dates(ledger):
    with pytest.raises(ValidationError) as error:
        ledger.open_cycle(ADMIN, name=" ", starts_on="2026-13-01", ends_on="2026-01-01",
                          scoring_policy="vibes")
    assert fields_of(error) == ["name", "starts_on", "scoring_policy"]
    with pytest.raises(ValidationError, match="after starts_on"):
        ledger.open_cycle(ADMIN, name="Q", starts_on="2026-04-01", ends_on="2026-03-01")
    assert ledger.list_cycles() == []
