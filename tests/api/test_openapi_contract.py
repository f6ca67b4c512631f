"""The API document describes what the server does: schemathesis runs every operation against
the app in-process, with every check it has (`schemathesis run -c all`), and finds no server
error and no conformance failure.

The run is bounded (a few examples per operation, a fixed seed, deterministic generation), so
it is the same run every time and takes about a minute (2,700 coverage cases, ~220 generated).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.python import asgi

from api.app import create_app
from api.tokens import issue_token
from workflows.settings import Settings

SECRET = "test-secret-that-is-long-enough-for-hs256"
PROBES = ("/livez", "/healthz", "/readyz")
# A request the schema allows may still break a rule that depends on the ledger's state or on
# two fields together, which no JSON Schema can say: a position beyond the log's end, a cursor
# the server never gave, an owner without a manager, a person not in the directory (or already
# in it), dates out
# of order, one of two ways to name a point (a version or a moment, not both), a tree size no
# signed checkpoint has, an Idempotency-Key used for another request. Such a 422 names these fields, and
# only these; a 422 for anything else on schema-valid input is a failure.
STATE_RULES = {"min_position", "cursor", "as_of", "at_position", "ends_on", "reviewer",
               "owner", "manager", "parent_id", "supports", "Idempotency-Key", "cycle_id",
               "key_results", "key_result_id", "scores", "overrides", "from", "to",
               "from_time", "to_time", "from_position", "to_position", "from_size", "to_size",
               "tree_size", "subject"}
# A lone surrogate (`"\ud800"`) is valid JSON text the schema cannot exclude (no UTF-8 for it,
# so no regex engine of a validator takes it); the ledger refuses it as it refuses controls.
SURROGATE = re.compile(r"found U\+D[89A-F][0-9A-F]{2}")


@pytest.fixture(scope="module")
def document_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield create_app(Settings(data_dir=tmp_path_factory.mktemp("contract"), database_url="",
                              secret=SECRET, require_known_people=False))
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def document(document_app: Any) -> dict[str, Any]:
    return document_app.openapi()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_has_a_readable_id_a_summary_and_declared_tags(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z]+", i) and len(i) <= 40 for i in ids), ids
    assert "checkInKeyResult" in ids
    declared = {tag["name"] for tag in document["tags"]}
    for _, _, operation in operations(document):
        assert operation["summary"] and not operation["summary"].endswith(".")
        assert set(operation["tags"]) <= declared
    assert document["servers"]


def test_every_request_body_has_an_example_its_schema_accepts(document):
    components = {"components": document["components"]}
    for path, method, operation in operations(document):
        if "requestBody" not in operation:
            continue
        content = operation["requestBody"]["content"]["application/json"]
        assert "example" in content, f"{method} {path}"
        jsonschema.validate(content["example"], {**content["schema"], **components})


def test_problems_are_documented_as_problem_json(document):
    assert "HTTPValidationError" not in document["components"]["schemas"]
    check_in = document["paths"]["/v1/objectives/{objective_id}/check-ins"]["post"]
    assert {"400", "401", "403", "404", "409", "412", "413", "415", "422", "503"} <= \
        set(check_in["responses"])
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if status >= "400" and not (path == "/readyz" and status == "503"):
                assert list(response["content"]) == ["application/problem+json"], \
                    f"{method} {path} {status}"
                assert response["content"]["application/problem+json"]["schema"] == \
                    {"$ref": "#/components/schemas/Problem"}
    assert {"instance", "errors", "state", "allowed_actions", "current_version"} <= \
        set(document["components"]["schemas"]["Problem"]["properties"])


def test_probes_need_no_token_and_everything_else_does(document):
    for path, _, operation in operations(document):
        assert bool(operation.get("security")) is (path not in PROBES), path


def test_numbers_and_texts_are_bounded_as_the_server_bounds_them(document):
    schemas = document["components"]["schemas"]
    confidence = schemas["CheckInCreate"]["properties"]["confidence"]
    assert (confidence["minimum"], confidence["maximum"]) == (0.0, 1.0)
    score = schemas["ScoreEntry"]["properties"]["score"]
    assert (score["minimum"], score["maximum"]) == (0.0, 1.0)
    assert "pattern" in schemas["CheckInCreate"]["properties"]["note"]


def test_each_key_result_kind_shows_its_own_required_fields(document):
    """A discriminated union on `kind`: a generated client sees what each kind needs."""
    schemas = document["components"]["schemas"]
    kinds = {"metric": {"title", "kind", "start", "target"},
             "threshold": {"title", "kind", "target"}, "milestone": {"title", "kind"}}
    adding = document["paths"]["/v1/objectives/{objective_id}/key-results"]["post"]
    for union in (schemas["ObjectiveCreate"]["properties"]["key_results"]["items"],
                  adding["requestBody"]["content"]["application/json"]["schema"]):
        assert union["discriminator"]["propertyName"] == "kind"
        mapping = union["discriminator"]["mapping"]
        assert set(mapping) == set(kinds)
        assert sorted(ref["$ref"] for ref in union["oneOf"]) == sorted(mapping.values())
        for kind, ref in mapping.items():
            schema = schemas[ref.rsplit("/", 1)[1]]
            assert set(schema["required"]) == kinds[kind]
            assert schema["properties"]["kind"]["const"] == kind
            assert {"start", "target", "unit", "due_on", "weight"} <= set(schema["properties"])


def test_schemathesis_finds_no_server_error_and_no_conformance_failure(document_app):
    config = SchemathesisConfig.from_dict({
        "seed": 20261201,
        "suppress-health-check": ["all"],
        "headers": {"Authorization": f"Bearer {issue_token(SECRET, 'ada', 'admin')}"},
        # No shrinking: a schema-valid request refused by a state rule is a "failure" to
        # schemathesis, which then spent minutes making it smaller; the examples generated,
        # and so what is checked, are the same without it (a real failure is reported as found).
        "generation": {"max-examples": 4, "deterministic": True, "codec": "utf-8",
                       "no-shrink": True},
        # The event stream never ends by itself: each case read it until schemathesis's 10 s
        # timeout. Three events, or two seconds (far more than a response's start takes), show
        # what it sends as well.
        "operations": [{"include-path": "/v1/events/stream", "request-timeout": 2,
                        "max-stream-events": 3}],
        "checks": {"enabled": True},
        "phases": {"stateful": {"enabled": False}},
        "cache": {"enabled": False},
    })
    schema = schemathesis.openapi.from_asgi("/openapi.json", document_app, config=config)
    failures, errors, tested = [], [], set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            tested.add(event.recorder.label)
            failures += [failure for failure in _failures(event.recorder)
                         if not _state_rule(failure)]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(repr(event))
    document = document_app.openapi()
    every = {f"{method.upper()} {path}" for path, method, _ in operations(document)}
    assert tested == every
    assert not errors, errors
    shown = [{**f, "answer": (f["answer"] or "")[:400]} for f in failures[:20]]
    assert not failures, json.dumps(shown, indent=1)


def _failures(recorder: Any) -> Iterator[dict[str, Any]]:
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE:
                continue
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            yield {"operation": recorder.label, "check": check.name,
                   "title": check.failure_info.failure.title,
                   "message": check.failure_info.failure.message,
                   "request": f"{interaction.request.method} {interaction.request.uri}"
                   if interaction else None,
                   "body": (interaction.request.body or b"")[:300].decode(errors="replace")
                   if interaction else None,
                   "status": response.status_code if response else None,
                   "answer": response.content.decode(errors="replace")
                   if response else None}


def _state_rule(failure: dict[str, Any]) -> bool:
    """A schema-valid request refused for a rule no schema can state (see STATE_RULES)."""
    if failure["check"] != "positive_data_acceptance":
        return False
    if failure["status"] == 412:  # If-Match named another version than the current one
        return True
    if failure["status"] != 422:
        return False
    try:
        problem = json.loads(failure["answer"] or "{}")
    except ValueError:
        return False
    faults = problem.get("errors") or [{"field": "", "message": ""}]
    return all(f["field"].split(".")[0].split("[")[0] in STATE_RULES
               or SURROGATE.search(f["message"]) for f in faults)

