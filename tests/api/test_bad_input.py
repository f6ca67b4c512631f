"""Whatever a client sends, the answer is a problem+json naming what is wrong: never a 500."""

from __future__ import annotations

import uuid

import pytest

from tests.api.http import active, draft, metric_kr, ok, open_cycle

PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def fields(body):
    return [error["field"] for error in body["errors"]]


def test_malformed_json_is_a_400_saying_where(api):
    response = api.admin.post("/v1/cycles", content=b'{"name": "Q1",\n not json',
                              headers={"Content-Type": "application/json"})
    body = problem(response, 400)
    assert "line 2" in body["detail"] and body["title"] == "Malformed JSON"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          None])
def test_a_body_that_is_not_json_is_a_415_naming_what_is_accepted(api, content_type):
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = api.admin.post("/v1/cycles", content=b'{"name": "Q1"}', headers=headers)
    body = problem(response, 415)
    assert "application/json" in body["detail"]
    assert response.headers["accept-post"] == "application/json"


def test_every_wrong_field_is_listed_at_once(api):
    body = problem(api.admin.post("/v1/cycles", {"name": 7, "starts_on": "2026-02-30",
                                                 "ends_on": "soon", "colour": "red"}), 422)
    assert fields(body) == ["name", "starts_on", "ends_on", "colour"]
    assert {error["in"] for error in body["errors"]} == {"body"}


def test_domain_rules_list_every_fault(api):
    body = problem(api.admin.post("/v1/cycles", {"name": " ", "starts_on": "2026-10-01",
                                                 "ends_on": "2026-09-01"}), 422)
    assert fields(body) == ["name", "ends_on"]


def test_an_objective_breaking_the_method_cannot_be_submitted(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[metric_kr(target=0)])
    body = problem(api.owner.post(f"/v1/objectives/{objective['id']}/submit"), 422)
    assert body["errors"][0]["field"].endswith(".target")
    assert ok(api.owner.get(f"/v1/objectives/{objective['id']}"))["state"] == "draft"


@pytest.mark.parametrize("path", [
    "/v1/objectives/not-a-uuid", f"/v1/objectives/{uuid.uuid4()}", f"/v1/cycles/{uuid.uuid4()}",
    "/v1/cycles/%00", f"/v1/objectives/{uuid.uuid4()}/history",
])
def test_unknown_or_malformed_ids_are_404(api, path):
    problem(api.admin.get(path), 404)


def test_commands_on_unknown_ids_are_404(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    problem(api.owner.post(f"/v1/objectives/{uuid.uuid4()}/submit"), 404)
    problem(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                           {"key_result_id": "nope", "value": 1, "confidence": 0.5}), 404)
    problem(api.reviewer.post(f"/v1/objectives/{objective['id']}/adjustments/x/approve"), 409)
    problem(api.owner.post("/v1/objectives", {"cycle_id": "x", "title": "t", "reviewer": "rita",
                                              "level": "team"}), 404)


@pytest.mark.parametrize("value", ["1e400", "-1e400", "NaN", "Infinity", "1" * 400, "true",
                                   '"ten"', "[1]", "null"])
def test_numbers_that_are_not_finite_or_not_numbers_are_refused(api, value):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    kr = objective["key_results"][0]["id"]
    raw = f'{{"key_result_id": "{kr}", "confidence": 0.5, "value": {value}}}'
    response = api.owner.post(f"/v1/objectives/{objective['id']}/check-ins", content=raw,
                              headers={"Content-Type": "application/json"})
    problem(response, 422)
    after = ok(api.owner.get(f"/v1/objectives/{objective['id']}"))
    assert after["version"] == objective["version"]


@pytest.mark.parametrize("query", [
    "version=0", "version=99", "version=99999999999999999999999", "version=x",
    "as_of=yesterday", "as_of=2026-13-01",
])
def test_bad_time_travel_queries_are_422(api, query):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    problem(api.owner.get(f"/v1/objectives/{objective['id']}?{query}"), 422)


def test_as_of_before_the_objective_existed_is_404_and_naive_times_read_as_utc(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    problem(api.owner.get(f"/v1/objectives/{objective['id']}?as_of=2000-01-01T00:00:00"), 404)
    then = ok(api.owner.get(f"/v1/objectives/{objective['id']}?as_of=2999-01-01T00:00:00"))
    assert then["version"] == objective["version"]


def test_a_refused_transition_is_409_with_state_and_allowed_actions(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    body = problem(api.reviewer.post(f"/v1/objectives/{objective['id']}/approve"), 409)
    assert body["state"] == "draft"
    assert body["allowed_actions"] == ["cancel", "hand_over_review"]


def test_unknown_routes_and_methods_are_problems_too(api):
    problem(api.admin.get("/v1/nothing-here"), 404)
    problem(api.admin.request("PUT", "/v1/cycles"), 405)


@pytest.mark.parametrize("header", ["abc", "-1", '"x"', "1" * 40])
def test_a_malformed_if_match_is_422(api, header):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    body = problem(api.owner.post(f"/v1/objectives/{objective['id']}/submit",
                                  headers={"If-Match": header}), 422)
    assert fields(body) == ["If-Match"]


def test_adjustment_ops_are_checked_by_their_shape_and_named_as_sent(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    body = problem(api.owner.post(f"/v1/objectives/{objective['id']}/adjustments", {
        "reason": "market moved", "changes": [
            {"op": "explode"}, {"op": "remove_key_result"},
            {"op": "edit_key_result", "key_result_id": "k", "weight": -1}]}), 422)
    assert fields(body) == ["changes[0]", "changes[1].key_result_id", "changes[2].weight"]


def test_a_nul_in_a_note_is_a_422_naming_it_and_every_view_keeps_serving(stored_api):
    """Once answered 200, and then every read model on PostgreSQL answered 503 for good."""
    api = stored_api
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    response = api.owner.post(f"/v1/objectives/{oid}/check-ins", {
        "key_result_id": kr, "value": 5, "confidence": 0.5, "note": "a\x00b"})
    body = problem(response, 422)
    assert [error["field"] for error in body["errors"]] == ["note"]
    later = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                              {"key_result_id": kr, "value": 6, "confidence": 0.5}))
    tree = ok(api.owner.get(f"/v1/cycles/{cycle_id}/tree?min_position={later['position']}"))
    assert tree[0]["key_results"][0]["progress"] == 0.06
    assert api.client.get("/readyz").status_code == 200


def test_each_key_result_kind_is_refused_for_what_it_lacks_naming_the_field(api):
    """KRs are a discriminated union on `kind` in the API document; a request names the
    field at fault as it always did."""
    cycle_id = open_cycle(api)
    base = {"cycle_id": cycle_id, "title": "Kinds", "level": "team"}
    krs = [{"title": "no start", "kind": "metric", "target": 10},
           {"title": "no threshold", "kind": "threshold", "direction": "below"},
           {"title": "no kind"}, {"title": "odd", "kind": "percent"}]
    body = problem(api.owner.post("/v1/objectives", {**base, "key_results": krs}), 422)
    assert fields(body) == ["key_results[0].start", "key_results[1].target",
                            "key_results[2].kind", "key_results[3].kind"]
    assert "'metric', 'threshold', 'milestone'" in body["errors"][3]["message"]
    objective = draft(api, cycle_id)
    added = problem(api.owner.post(f"/v1/objectives/{objective['id']}/key-results",
                                   {"title": "no target", "kind": "metric", "start": 1}), 422)
    assert fields(added) == ["target"]
    every_field = {"title": "Ship it", "kind": "milestone", "start": 0, "target": 1,
                   "due_on": "2026-12-01", "reason": "asked for"}  # a kind takes every field
    ok(api.owner.post(f"/v1/objectives/{objective['id']}/key-results", every_field), 201)
