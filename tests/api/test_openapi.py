"""The OpenAPI document is valid and describes every route of the issue."""

from __future__ import annotations

from openapi_spec_validator import validate

from tests.api.http import ok


def test_the_openapi_document_validates(api):
    document = ok(api.client.get("/openapi.json"))
    validate(document)
    assert "/v1/objectives/{objective_id}/adjustments/{adjustment_id}/approve" in \
        document["paths"]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_the_audit_endpoints_are_documented_with_examples(api):
    document = ok(api.client.get("/openapi.json"))
    schemas = document["components"]["schemas"]
    for path in ("/v1/objectives/{objective_id}/timeline", "/v1/objectives/{objective_id}/diff",
                 "/v1/cycles/{cycle_id}/tree/diff",
                 "/v1/objectives/{objective_id}/check-ins/{check_in_id}/correct",
                 "/v1/objectives/{objective_id}/hand-over",
                 "/v1/objectives/{objective_id}/reassign"):
        assert path in document["paths"], path
    for name in ("TimelineEntry", "TreeDiff", "ObjectiveDiff", "CheckInCorrect", "HandOverBody",
                 "ReassignBody"):
        assert schemas[name].get("examples"), name
    tree = document["paths"]["/v1/cycles/{cycle_id}/tree"]["get"]["responses"]["200"]
    assert set(tree["headers"]) == {"OKR-As-Of-Position", "OKR-As-Of-Time"}
