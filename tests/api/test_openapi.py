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
