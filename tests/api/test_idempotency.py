"""Idempotency-Key: a retry replays the first answer and writes nothing."""

from __future__ import annotations

import hashlib

from tests.api.http import active, ok, open_cycle


def event_count(api):
    return len(ok(api.admin.get("/v1/events?limit=1000"))["events"])


def test_a_retry_with_the_same_key_and_body_replays_and_writes_nothing(stored_api):
    api = stored_api
    body = {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    first = api.admin.post("/v1/cycles", body, headers={"Idempotency-Key": "k-1"})
    count = event_count(api)
    retry = api.admin.post("/v1/cycles", body, headers={"Idempotency-Key": "k-1"})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["location"] == first.headers["location"]
    assert "idempotent-replayed" not in first.headers
    assert event_count(api) == count
    assert len(ok(api.admin.get("/v1/cycles"))) == 1


def test_the_same_key_with_another_body_is_422(api):
    body = {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    ok(api.admin.post("/v1/cycles", body, headers={"Idempotency-Key": "k-2"}), 201)
    other = api.admin.post("/v1/cycles", {**body, "name": "2027-Q1"},
                           headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert len(ok(api.admin.get("/v1/cycles"))) == 1


def test_keys_belong_to_the_caller_so_two_people_never_collide(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    check_in = {"key_result_id": kr, "value": 10, "confidence": 0.5}
    ok(api.owner.post(f"/v1/objectives/{oid}/check-ins", check_in,
                      headers={"Idempotency-Key": "same"}))
    ok(api.admin.post(f"/v1/objectives/{oid}/check-ins", check_in,
                      headers={"Idempotency-Key": "same"}))
    assert ok(api.owner.get(f"/v1/objectives/{oid}"))["key_results"][0]["check_ins"] == 2


def test_a_refusal_is_replayed_too_and_a_new_key_runs_again(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    path = f"/v1/objectives/{objective['id']}/submit"
    first = api.owner.post(path, headers={"Idempotency-Key": "k-3"})
    retry = api.owner.post(path, headers={"Idempotency-Key": "k-3"})
    assert first.status_code == retry.status_code == 409
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["content-type"] == "application/problem+json"


def test_the_keys_survive_a_restart(api_settings):
    from tests.api.conftest import serve
    body = {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    for attempt in range(2):
        for api in serve(api_settings):
            response = api.admin.post("/v1/cycles", body, headers={"Idempotency-Key": "k-4"})
            assert response.status_code == 201
            assert ("idempotent-replayed" in response.headers) == (attempt == 1)
            assert len(ok(api.admin.get("/v1/cycles"))) == 1


def test_an_empty_or_overlong_key_is_422_and_runs_nothing(api):
    body = {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    for key in ("", "k" * 201):
        response = api.admin.post("/v1/cycles", body, headers={"Idempotency-Key": key})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert ok(api.admin.get("/v1/cycles")) == []


def test_a_retry_while_the_first_attempt_still_runs_is_told_to_wait(api):
    body = b'{"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}'
    digest = hashlib.sha256(b"/v1/cycles?\n" + body).hexdigest()
    assert api.client.app.state.idempotency.reserve("ada:k-5", digest) is None
    response = api.admin.post("/v1/cycles", content=body, headers={
        "Idempotency-Key": "k-5", "Content-Type": "application/json"})
    assert response.status_code == 409
    assert response.headers["retry-after"] == "1"
    assert ok(api.admin.get("/v1/cycles")) == []
