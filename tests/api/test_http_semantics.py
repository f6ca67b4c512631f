"""HTTP as clients and caches expect it: strong ETags, conditional requests, HEAD, Allow and
Location."""

from __future__ import annotations

from tests.api.http import active, draft, ok, open_cycle


def test_if_match_compares_strongly_so_a_weak_tag_never_matches(api):
    objective = draft(api, open_cycle(api))
    path = f"/v1/objectives/{objective['id']}"
    weak = api.owner.patch(path, {"title": "Renamed"},
                           headers={"If-Match": f'W/"{objective["version"]}"'})
    assert weak.status_code == 412, weak.text
    assert weak.json()["current_version"] == objective["version"]
    assert ok(api.owner.get(path))["title"] == objective["title"]
    strong = api.owner.patch(path, {"title": "Renamed"},
                             headers={"If-Match": f'"{objective["version"]}"'})
    assert strong.status_code == 200


def test_a_weak_tag_on_a_person_is_412_naming_their_version(api):
    """Found by schemathesis: the weak-tag check looked only for an objective or a cycle."""
    answer = api.admin.patch("/v1/people/bob", {"display_name": "Bob"},
                             headers={"If-Match": 'W/"1"'})
    assert answer.status_code == 412, answer.text
    assert answer.json()["current_version"] == ok(api.admin.get("/v1/people/bob"))["version"]


def test_every_answer_with_an_objective_or_cycle_carries_its_etag(api):
    cycle = api.admin.post("/v1/cycles", {"name": "Q", "starts_on": "2026-10-01",
                                          "ends_on": "2026-12-31"})
    assert cycle.headers["etag"] == f'"{cycle.json()["version"]}"'
    started = api.admin.post(f"/v1/cycles/{cycle.json()['id']}/start")
    assert started.headers["etag"] == f'"{started.json()["version"]}"'
    objective = active(api, cycle.json()["id"])
    kr = objective["key_results"][0]["id"]
    checked = api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                             json={"key_result_id": kr, "value": 5, "confidence": 0.5})
    assert checked.headers["etag"] == f'"{checked.json()["version"]}"'


def test_a_get_with_the_current_etag_is_304_without_a_body(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    for path in (f"/v1/objectives/{objective['id']}", f"/v1/cycles/{cycle_id}"):
        first = api.owner.get(path)
        tag = first.headers["etag"]
        again = api.owner.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        assert api.owner.get(path, headers={"If-None-Match": f"W/{tag}"}).status_code == 304
        assert api.owner.get(path, headers={"If-None-Match": '"999"'}).status_code == 200
        assert api.owner.get(path, headers={"If-None-Match": "*"}).status_code == 304


def test_head_answers_every_get_with_its_headers_and_no_body(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    for path in (f"/v1/objectives/{objective['id']}", "/v1/cycles", "/healthz",
                 f"/v1/objectives?cycle_id={cycle_id}"):
        got, head = api.owner.get(path), api.owner.request("HEAD", path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers.get("etag") == got.headers.get("etag")
        assert head.headers["content-type"] == got.headers["content-type"]
    assert api.owner.request("HEAD", "/v1/cycles/nope").status_code == 404


def test_a_wrong_method_is_405_with_every_method_the_path_allows(api):
    objective = draft(api, open_cycle(api))
    response = api.owner.delete(f"/v1/objectives/{objective['id']}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PATCH"
    assert api.admin.request("PUT", "/v1/cycles").headers["allow"] == "GET, HEAD, POST"


def test_location_names_what_was_created(api):
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    proposed = api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "harder", "changes": [{"op": "retarget_key_result", "key_result_id": kr,
                                         "target": 120}]})
    adjustment_id = proposed.json()["adjustment_id"]
    assert proposed.headers["location"] == f"/v1/objectives/{oid}/adjustments/{adjustment_id}"
    assert ok(api.owner.get(proposed.headers["location"]))["status"] == "pending"
    drafted = draft(api, open_cycle(api, name="2027-Q1", starts_on="2027-01-01",
                                    ends_on="2027-03-31"))
    made = api.owner.post(f"/v1/objectives/{drafted['id']}/key-results",
                          {"title": "More", "kind": "milestone"})
    assert made.headers["location"] == (
        f"/v1/objectives/{drafted['id']}/key-results/{made.json()['id']}")
    assert ok(api.owner.get(made.headers["location"]))["title"] == "More"
