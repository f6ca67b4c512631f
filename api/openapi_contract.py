"""The API document as the server keeps it: every problem an operation can answer, readable
operation ids, summaries, request examples, tags and servers.

FastAPI documents only each route's success and its own validation error (as plain JSON). The
problems (`api.problems`) come from dependencies and exception handlers shared by many
routes, so they are documented the same way here, once, from what each operation declares:
a security requirement can answer 401/403 (and 503 while the identity provider is
unreachable), a path parameter 404, a body 400/413/415, any input 422, `Idempotency-Key`
409, `If-Match` 412, a command 409 for a refused transition, `min_position` 503.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api.problem_json import MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details, with the extension members this API uses.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong and what is allowed."},
        "instance": {"type": "string", "description": "The path of the request."},
        "errors": {"type": "array", "description": "Each field at fault (422).", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"},
                           "in": {"type": "string"}}}},
        "state": {"type": "string", "description": "The objective's state (409)."},
        "action": {"type": "string", "description": "The action refused (409)."},
        "allowed_actions": {"type": "array", "items": {"type": "string"},
                            "description": "What the caller may do instead (409)."},
        "current_version": {"type": "integer", "description": "The version now (412)."},
        "expected_version": {"type": "integer", "description": "The version If-Match named."},
        "kind": {"type": "string", "description": "What was not found (404)."},
        "id": {"type": "string", "description": "The id not found (404)."},
        "min_position": {"type": "integer"},
        "position": {"type": "integer"},
    },
}
WHY = {
    400: "The body is not well-formed JSON (the problem says where).",
    401: "No valid bearer token.",
    403: "The caller's role or relation may not do this.",
    404: "What the path names does not exist.",
    409: "The workflow does not allow this now (`state`, `allowed_actions`), or a request "
         "with this Idempotency-Key is still running (`Retry-After`).",
    412: "If-Match names another version than the current (`current_version`).",
    413: "The body is larger than OKR_MAX_BODY_BYTES.",
    415: "The body is not application/json.",
    422: "Input at fault: each field and why in `errors`.",
    503: "Not now: the views have not reached `min_position`, the store is busy or the "
         "identity provider unreachable (`Retry-After`).",
}
COMMANDS = {"post", "patch", "delete", "put"}
SERVERS = [{"url": "/", "description": "This server."}]
TAGS = ["health", "admin", "cycles", "objectives", "key results", "review", "adjustments",
        "closing", "history", "audit", "events", "people"]
# Where a route's function name alone would be vague, the id it goes by.
OPERATION_IDS = {
    "check_in": "checkInKeyResult", "check_ins": "listCheckIns", "submit": "submitObjective",
    "approve": "approveObjective", "request_changes": "requestChanges",
    "cancel": "cancelObjective", "carry_over": "carryOverObjective",
    "tree": "getCycleTree", "summary": "getCycleSummary", "history": "getObjectiveHistory",
    "diff": "diffObjective", "adjustments": "listAdjustmentAudit",
    "decisions": "listDecisions", "events": "listEvents", "schemas": "listEventSchemas",
    "schema": "getEventSchema", "stream": "streamEvents", "open_cycle": "openCycle",
    "self_assess": "selfAssessObjective", "finalize": "finalizeObjective",
    "start_closing": "startClosingObjective", "return_assessment": "returnAssessment",
    "livez": "livez", "healthz": "healthz", "readyz": "readyz", "metrics": "getMetrics",
    "admin_status": "getAdminStatus", "open_objectives": "listPersonOpenObjectives",
    "person_history": "getPersonHistory", "timeline": "getObjectiveTimeline",
    "tree_diff": "diffCycleTree", "public_key": "getAuditPublicKey",
    "checkpoint": "getLatestCheckpoint", "checkpoint_now": "signCheckpoint",
    "checkpoints": "listCheckpoints", "inclusion_proof": "getInclusionProof",
    "consistency_proof": "getConsistencyProof",
}

KR_ID = "5f0c7c1e-3a4b-4c1d-9e2f-7a8b9c0d1e2f"
METRIC_KR = {"title": "Weekly active users", "kind": "metric", "start": 1200, "target": 2000,
             "unit": "users", "challenge": "stretch"}
# One request example per operation with a body: what a client would send.
EXAMPLES: dict[str, Any] = {
    "openCycle": {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31",
                  "scoring_policy": "grade"},
    "draftObjective": {"cycle_id": "0b6f1c52-8d4e-4a7e-9c1b-2f3e4d5c6b7a",
                       "title": "Delight new users", "level": "team", "kind": "business",
                       "owner": "bob", "reviewer": "rita", "key_results": [METRIC_KR]},
    "editObjective": {"title": "Delight every new user", "reason": "clearer wording"},
    "addKeyResult": {"title": "Ship onboarding v2", "kind": "milestone",
                     "due_on": "2026-12-15", "challenge": "committed"},
    "editKeyResult": {"target": 2500, "reason": "last quarter ended higher"},
    "checkInKeyResult": {"key_result_id": KR_ID, "value": 1450, "confidence": 0.6,
                         "note": "campaign started"},
    "submitObjective": {"reason": "ready for review"},
    "approveObjective": {"comment": "agreed"},
    "requestChanges": {"comment": "the second KR needs a number"},
    "cancelObjective": {"reason": "the product line was stopped"},
    "reassignOwner": {"owner": "dana", "reason": "bob moved to the platform team"},
    "carryOverObjective": {"cycle_id": "7d1e2f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a",
                           "reason": "still the priority"},
    "proposeAdjustment": {"reason": "the launch moved to January", "changes": [
        {"op": "retarget_key_result", "key_result_id": KR_ID, "target": 1800}]},
    "approveAdjustment": {"comment": "agreed"},
    "rejectAdjustment": {"comment": "keep the original target"},
    "startClosingObjective": {"reason": "the quarter ended"},
    "selfAssessObjective": {"scores": [{"key_result_id": KR_ID, "score": 0.7,
                                        "note": "most of the way"}]},
    "returnAssessment": {"comment": "the note should say what blocked it"},
    "finalizeObjective": {"overrides": [{"key_result_id": KR_ID, "score": 0.3,
                                         "reason": "the target was lowered mid-quarter"}],
                          "comment": "good work"},
    "registerPerson": {"subject": "bob", "display_name": "Bob Stone",
                       "email": "bob@example.com", "manager": "rita"},
    "editPerson": {"manager": "ada", "reason": "moved to the platform team"},
}


def operation_id(route: APIRoute) -> str:
    """`checkInKeyResult`: the route function's name in camelCase unless named above."""
    if route.name in OPERATION_IDS:
        return OPERATION_IDS[route.name]
    first, *rest = route.name.split("_")
    return first + "".join(part.title() for part in rest)


def install_contract(app: FastAPI) -> None:
    """Make `app.openapi()` return the document described above (built once, then kept)."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version,
                                   description=app.description, routes=app.routes,
                                   servers=SERVERS)
            app.openapi_schema = contract(document)
        return app.openapi_schema
    app.openapi = openapi  # type: ignore[method-assign]


def contract(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    used = {tag for operations in document["paths"].values()
            for operation in operations.values() for tag in operation.get("tags", [])}
    document["tags"] = [{"name": tag} for tag in TAGS if tag in used] + [
        {"name": tag} for tag in sorted(used - set(TAGS))]
    for operations in document["paths"].values():
        for method, operation in operations.items():
            _describe(method, operation, schemas)
    return document


def _describe(method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    description = operation.get("description", "").strip()
    if description:
        operation["summary"] = _first_sentence(description)
    for parameter in operation.get("parameters", []):
        _not_null(parameter)
    responses = operation["responses"]
    for status in sorted(_problems(method, operation)):
        responses[str(status)] = {"description": WHY[status],
                                  "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and "example" not in body:
        example = EXAMPLES.get(operation["operationId"]) or _model_example(body["schema"], schemas)
        if example is not None:
            body["example"] = example


def _problems(method: str, operation: dict[str, Any]) -> set[int]:
    parameters = {(p["in"], p["name"].lower()) for p in operation.get("parameters", [])}
    problems: set[int] = set()
    if operation.get("security"):
        problems |= {401, 403, 503}
    if any(where == "path" for where, _ in parameters):
        problems.add(404)
    if "requestBody" in operation:  # a body may name a cycle, a parent, a key result: 404
        problems |= {400, 404, 413, 415, 422}
    if parameters:
        problems.add(422)
    if ("header", "idempotency-key") in parameters or method in COMMANDS:
        problems.add(409)
    if ("header", "last-event-id") in parameters:
        problems.add(400)
    if ("header", "if-match") in parameters:
        problems.add(412)
    if ("query", "min_position") in parameters:
        problems.add(503)
    return problems


def _model_example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """The first example a request model gives itself (`json_schema_extra`), if any."""
    named = schemas.get(schema.get("$ref", "").rsplit("/", 1)[-1], {})
    return (named.get("examples") or [None])[0]


def _not_null(parameter: dict[str, Any]) -> None:
    """A query or header parameter is sent or not; it is never JSON null (`str | None` in a
    route means "may be left out", which `required: false` already says)."""
    schema = parameter.get("schema", {})
    variants = [v for v in schema.get("anyOf", []) if v.get("type") != "null"]
    if "anyOf" in schema and len(variants) == 1:
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        parameter["schema"] = {**variants[0], **rest}


def _first_sentence(text: str) -> str:
    line = " ".join(text.split())
    found = re.match(r"(.+?[.:;])(\s|$)", line)
    return (found.group(1) if found else line).rstrip(".:;")[:120]

