"""The published schemas: one per event type, matching what the domain really emits."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from stream.checkpoint_relay import CHECKPOINT_TYPE
from stream.cloudevents import ENVELOPE_FIELDS, EVENT_CLASSES, EVENT_TYPES, read_feed
from stream.event_schemas import load_schemas
from tests.kafka.lifecycle import every_kind_of_event

ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def event_fields(ce_type: str) -> set[str]:
    parameters = inspect.signature(EVENT_CLASSES[ce_type]).parameters
    return {"version"} | (set(parameters) - {"self", *ENVELOPE_FIELDS})


def test_every_event_type_has_a_schema_and_every_schema_an_event_type():
    assert sorted(load_schemas()) == sorted(EVENT_TYPES)


@pytest.mark.parametrize("ce_type", sorted(EVENT_TYPES))
def test_each_schema_requires_exactly_the_fields_its_event_carries(ce_type):
    schema = load_schemas()[ce_type]

    Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) == event_fields(ce_type)
    assert set(schema["required"]) == event_fields(ce_type)
    assert schema["additionalProperties"] is False


def test_every_event_of_a_full_lifecycle_matches_its_schema_and_the_envelope(ledger):
    every_kind_of_event(ledger)
    events, _ = read_feed(ledger.recorder, ledger.mapper, after=0, limit=10_000)
    schemas = load_schemas()
    envelope = Draft202012Validator(yaml.safe_load(ASYNCAPI.read_text())["components"]
                                    ["schemas"]["CloudEvent"], format_checker=FormatChecker())

    assert {e["type"] for e in events} == set(EVENT_TYPES)
    for event in events:
        envelope.validate(event)
        Draft202012Validator(schemas[event["type"]],
                             format_checker=FormatChecker()).validate(event["data"])


def test_the_asyncapi_document_has_a_message_per_event_type_pointing_at_its_schema():
    document = yaml.safe_load(ASYNCAPI.read_text())
    messages = document["components"]["messages"]
    channel = document["channels"]["okrEvents"]
    checkpoints = messages.pop(CHECKPOINT_TYPE)  # the checkpoint topic's one message

    assert document["asyncapi"] == "3.0.0"
    assert channel["address"] == "okr.events"
    assert sorted(messages) == sorted(channel["messages"]) == sorted(EVENT_TYPES)
    assert document["channels"]["okrCheckpoints"]["address"] == "okr.checkpoints"
    assert checkpoints["payload"]["$ref"] == "#/components/schemas/CheckpointEvent"
    for ce_type, message in messages.items():
        data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
        assert (ASYNCAPI.parent / data_ref).resolve() == (
            ASYNCAPI.parents[1] / "stream" / "schemas" / f"{ce_type}.json")
        assert message["payload"]["allOf"][1]["properties"]["type"]["const"] == ce_type
        assert message["headers"]["required"] == ["content-type"]
