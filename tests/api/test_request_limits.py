"""Request bodies are bounded: over `OKR_MAX_BODY_BYTES` is a 413 problem, as soon as the
declared length or the bytes streamed say so, and before any authentication work; keyed
commands (Idempotency-Key) included."""

from __future__ import annotations

import pytest

from tests.api.conftest import serve
from tests.api.http import ok

LIMIT = 4096
BIG = b'{"name": "' + b"x" * (2 * LIMIT) + b'"}'


@pytest.fixture
def bounded(api_settings):
    yield from serve(api_settings.model_copy(update={"max_body_bytes": LIMIT}))


def too_large(response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert str(LIMIT) in response.json()["detail"]


def test_a_declared_length_over_the_limit_is_413_before_the_token_is_looked_at(bounded):
    too_large(bounded.client.post("/v1/cycles", content=BIG,
                                  headers={"Content-Type": "application/json"}))
    too_large(bounded.client.post("/v1/cycles", content=BIG, headers={
        "Content-Type": "application/json", "Authorization": "Bearer forged"}))
    too_large(bounded.client.post("/v1/objectives/x/submit", content=BIG))


def test_a_streamed_body_over_the_limit_is_413(bounded):
    chunks = (BIG[i:i + 1000] for i in range(0, len(BIG), 1000))
    too_large(bounded.admin.post("/v1/cycles", content=chunks,
                                 headers={"Content-Type": "application/json"}))


def test_a_keyed_command_over_the_limit_is_413_and_its_key_stays_free(bounded):
    headers = {"Content-Type": "application/json", "Idempotency-Key": "big"}
    too_large(bounded.admin.post("/v1/cycles", content=BIG, headers=headers))
    small = {"name": "Q", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    ok(bounded.admin.post("/v1/cycles", small, headers={"Idempotency-Key": "big"}), 201)


def test_a_body_within_the_limit_is_served(bounded):
    ok(bounded.admin.post("/v1/cycles", {"name": "Q" * 100, "starts_on": "2026-10-01",
                                         "ends_on": "2026-12-31"}), 201)
