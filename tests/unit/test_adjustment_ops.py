"""One registry of adjustment ops: what each allows is written once and read everywhere."""

from __future__ import annotations

import pytest

from api.models.review import AdjustmentCreate
from domain.adjustment_ops import OPS, Subject
from domain.errors import ValidationError
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER


def api_bodies() -> dict[str, set[str]]:
    """The fields the HTTP API accepts for each op, read from its published schema."""
    models = AdjustmentCreate.model_json_schema()["$defs"].values()
    return {model["properties"]["op"]["const"]: set(model["properties"])
            for model in models if "op" in model.get("properties", {})}


def names_a_key_result(name: str) -> bool:
    return OPS[name].subject is Subject.KEY_RESULT


def test_the_api_accepts_exactly_the_ops_and_fields_the_registry_allows():
    expected = {name: {"op", *op.fields} | ({"key_result_id"} if names_a_key_result(name)
                                            else set())
                for name, op in OPS.items()}
    assert api_bodies() == expected


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.fields])
def test_the_ledger_refuses_a_field_an_op_does_not_allow_and_names_the_allowed_ones(ledger,
                                                                                    name):
    objective_id = active(ledger, open_cycle(ledger))
    change = {"op": name, "colour": "red"}
    if names_a_key_result(name):
        change["key_result_id"] = first_kr(ledger, objective_id)
    with pytest.raises(ValidationError) as error:
        ledger.propose_adjustment(OWNER, objective_id, "why not", [change])
    field, message = error.value.violations[0]
    assert field == "changes[0].colour"
    assert all(allowed in message for allowed in OPS[name].fields)
