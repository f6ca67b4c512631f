"""Idempotency-Key: a retry replays the committed result and writes nothing.

The key's record is stored in the same transaction as the command's events, so a key is either
absent (nothing was written: a retry runs fresh) or complete (a retry replays what was
committed), even when the response was lost on the way; an interrupted reservation expires.
"""

from __future__ import annotations

import json
import time
import uuid

from api.idempotency import fingerprint_of, key_id_for
from tests.api.conftest import serve
from tests.api.http import active, ok, open_cycle
from workflows.actors import Actor
from workflows.idempotency import IdempotentCommand

CYCLE = {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}


def event_count(api):
    return len(ok(api.admin.get("/v1/events?limit=1000"))["events"])


def test_a_retry_with_the_same_key_and_body_replays_and_writes_nothing(stored_api):
    api = stored_api
    first = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-1"})
    count = event_count(api)
    retry = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-1"})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["etag"] == first.headers["etag"]
    assert "idempotent-replayed" not in first.headers
    assert event_count(api) == count
    assert len(ok(api.admin.get("/v1/cycles"))) == 1


def test_the_same_key_with_another_body_is_422(api):
    ok(api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-2"}), 201)
    other = api.admin.post("/v1/cycles", {**CYCLE, "name": "2027-Q1"},
                           headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
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


def test_a_colon_in_a_name_or_key_never_joins_two_callers_keys(api):
    """`a:b` with key `c` and `a` with key `b:c` were one key when keys were `name:key`."""
    first = api.caller("a:b", "admin").post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "c"})
    second = api.caller("a", "admin").post("/v1/cycles", {**CYCLE, "name": "2027-Q1"},
                                           headers={"Idempotency-Key": "b:c"})
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert "idempotent-replayed" not in second.headers
    assert len(ok(api.admin.get("/v1/cycles"))) == 2


def test_a_key_is_scoped_by_method_and_route_so_other_commands_never_collide(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                      {"key_result_id": kr, "value": 10, "confidence": 0.5},
                      headers={"Idempotency-Key": "one-key"}))
    proposed = api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "harder", "changes": [{"op": "retarget_key_result", "key_result_id": kr,
                                         "target": 120}]}, headers={"Idempotency-Key": "one-key"})
    assert proposed.status_code == 201, proposed.text
    assert "idempotent-replayed" not in proposed.headers


def test_if_match_is_part_of_what_a_key_stands_for(api):
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    body = {"key_result_id": kr, "value": 10, "confidence": 0.5}
    path = f"/v1/objectives/{oid}/check-ins"
    version = objective["version"]
    ok(api.owner.post(path, body, headers={"Idempotency-Key": "k-m", "If-Match": f'"{version}"'}))
    other = api.owner.post(path, body, headers={"Idempotency-Key": "k-m",
                                                "If-Match": f'"{version + 1}"'})
    assert other.status_code == 422, other.text
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_patch_honours_the_key(api):
    objective = ok(api.owner.post("/v1/objectives", {
        "cycle_id": open_cycle(api), "title": "Draft", "reviewer": "rita", "level": "team"}), 201)
    path = f"/v1/objectives/{objective['id']}"
    first = api.owner.patch(path, {"title": "Renamed once"}, headers={"Idempotency-Key": "p-1"})
    retry = api.owner.patch(path, {"title": "Renamed once"}, headers={"Idempotency-Key": "p-1"})
    assert first.status_code == retry.status_code == 200
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    history = ok(api.auditor.get(f"{path}/history"))["items"]
    assert [entry["type"] for entry in history].count("Edited") == 1


def test_a_refusal_is_not_remembered_so_a_retry_runs_again(api):
    objective = active(api, open_cycle(api))
    path = f"/v1/objectives/{objective['id']}/submit"
    first = api.owner.post(path, headers={"Idempotency-Key": "k-3"})
    retry = api.owner.post(path, headers={"Idempotency-Key": "k-3"})
    assert first.status_code == retry.status_code == 409
    assert "idempotent-replayed" not in retry.headers
    assert retry.headers["content-type"] == "application/problem+json"


def test_the_keys_survive_a_restart(api_settings):
    for attempt in range(2):
        for api in serve(api_settings):
            response = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-4"})
            assert response.status_code == 201
            assert ("idempotent-replayed" in response.headers) == (attempt == 1)
            assert len(ok(api.admin.get("/v1/cycles"))) == 1


def test_an_empty_or_overlong_key_is_422_and_runs_nothing(api):
    for key in ("", "k" * 201):
        response = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": key})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert ok(api.admin.get("/v1/cycles")) == []


def claim_for(api, name, role, route, key, path=None, body=None, seconds=60.0):
    """Reserve a key as a request that then died would have: claimed, never completed."""
    ledger = api.client.app.state.ledger
    key_id = key_id_for(name, role, "POST", route, key)
    fingerprint = fingerprint_of("POST", path or route, "", None, json.dumps(body).encode())
    assert ledger.idempotency.claim_key(key_id, fingerprint, "dead", time.time(), seconds,
                                        3600.0) is None
    return ledger, key_id


def test_a_retry_while_the_first_attempt_holds_the_key_is_told_to_wait(api):
    claim_for(api, "ada", "admin", "/v1/cycles", "k-5", body=CYCLE)
    response = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-5"})
    assert response.status_code == 409
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert ok(api.admin.get("/v1/cycles")) == []


def test_a_reservation_whose_request_died_expires_and_the_key_runs_fresh(api):
    claim_for(api, "ada", "admin", "/v1/cycles", "k-6", body=CYCLE, seconds=0.05)
    time.sleep(0.1)  # the reservation's lifetime is the condition under test
    response = api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-6"})
    assert response.status_code == 201, response.text
    assert "idempotent-replayed" not in response.headers


def test_a_command_committed_whose_answer_was_lost_is_replayed_from_its_record(api):
    """The record went in with the events; the response never left: a retry learns it."""
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    route = "/v1/objectives/{objective_id}/check-ins"
    body = {"key_result_id": kr, "value": 42, "confidence": 0.5}
    ledger, key_id = claim_for(api, "bob", "member", route, "lost",
                               path=f"/v1/objectives/{oid}/check-ins", body=body)
    claim = "dead"  # the claim of the request that committed and then died
    with ledger.idempotently(IdempotentCommand(key_id, claim=claim)):
        committed = ledger.check_in(Actor("bob", "member"), oid, kr, value=42, confidence=0.5)

    retry = api.owner.post(f"/v1/objectives/{oid}/check-ins", body,
                           headers={"Idempotency-Key": "lost"})
    assert retry.status_code == 200, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["position"] == committed.position
    assert retry.json()["key_results"][0]["check_ins"] == 1
    assert ok(api.owner.get(f"/v1/objectives/{oid}"))["key_results"][0]["check_ins"] == 1


def test_completed_keys_are_forgotten_after_the_retention_and_purged(api):
    ok(api.admin.post("/v1/cycles", CYCLE, headers={"Idempotency-Key": "k-7"}), 201)
    records = api.client.app.state.ledger.idempotency
    assert records.purge_keys(time.time(), 3600.0) == 0
    assert records.purge_keys(time.time() + 3601, 3600.0) == 1
    again = api.admin.post("/v1/cycles", {**CYCLE, "name": "2027-Q1"},
                           headers={"Idempotency-Key": "k-7"})
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers


def test_a_key_id_never_depends_on_where_the_separators_fall():
    assert key_id_for("a:b", "admin", "POST", "/v1/cycles", "c") != \
        key_id_for("a", "admin", "POST", "/v1/cycles", "b:c")
    assert key_id_for("a", "admin", "POST", "/v1/cycles", "k") != \
        key_id_for("a", "member", "POST", "/v1/cycles", "k")
    assert isinstance(uuid.UUID(key_id_for("a", "admin", "PATCH", "/x", "k")), uuid.UUID)
