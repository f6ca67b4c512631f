"""What changed in a cycle's tree between two points, on SQLite and PostgreSQL; and reads of
the tree's past resolving to whole commands, saying where they stand."""

from __future__ import annotations

from tests.api.http import Callers, active, draft, metric_kr, ok, open_cycle


def a_changing_cycle(api: Callers) -> dict[str, object]:
    cycle_id = open_cycle(api)
    company = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Win the market", "owner": "ceo", "reviewer": "ada",
        "level": "company", "key_results": [metric_kr()]}), 201)
    other = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Keep the lights on", "owner": "ceo", "reviewer": "ada",
        "level": "company", "key_results": [metric_kr()]}), 201)
    team = active(api, cycle_id, title="Cut lead time")
    side = active(api, cycle_id, title="Side quest")
    start = side["position"]
    kr = team["key_results"][0]["id"]
    ok(api.owner.post(f"/v1/objectives/{team['id']}/check-ins",
                      {"key_result_id": kr, "value": 30, "confidence": 0.7}))
    proposal = ok(api.owner.post(f"/v1/objectives/{team['id']}/adjustments", {
        "reason": "aligned at last", "changes": [
            {"op": "realign", "parent_id": company["id"], "supports": [other["id"]]}]}), 201)
    ok(api.reviewer.post(f"/v1/objectives/{team['id']}/adjustments/"
                         f"{proposal['adjustment_id']}/approve"))
    ok(api.owner.post(f"/v1/objectives/{side['id']}/check-ins",
                      {"key_result_id": side["key_results"][0]["id"], "value": 3,
                       "confidence": 0.7}))
    ok(api.reviewer.post(f"/v1/objectives/{side['id']}/cancel", {"reason": "no capacity"}))
    ok(api.admin.patch(f"/v1/objectives/{other['id']}", {"owner": "cleo"}))  # still a draft
    new = draft(api, cycle_id, title="New idea")
    return {"cycle": cycle_id, "start": start, "end": new["position"], "team": team["id"],
            "side": side["id"], "new": new["id"], "company": company["id"],
            "other": other["id"]}


def test_the_tree_diff_lists_each_kind_of_change_with_before_and_after(stored_api):
    ids = a_changing_cycle(stored_api)
    diff = ok(stored_api.auditor.get(
        f"/v1/cycles/{ids['cycle']}/tree/diff?from_position={ids['start']}"
        f"&to_position={ids['end']}&min_position={ids['end']}"))
    assert diff["from"]["position"] == ids["start"] and diff["to"]["position"] == ids["end"]
    assert [(c["objective_id"], c["title"], c["before"]) for c in diff["added"]] == [
        (ids["new"], "New idea", None)]
    assert diff["added"][0]["after"]["state"] == "draft"
    assert [(c["title"], c["before"], c["after"]) for c in diff["cancelled"]] == [
        ("Side quest", "active", "cancelled")]
    assert [(c["title"], c["before"], c["after"]) for c in diff["reparented"]] == [
        ("Cut lead time", None, ids["company"])]
    assert [(c["title"], c["newly_supported"]) for c in diff["newly_supporting"]] == [
        ("Cut lead time", [ids["other"]])]
    assert [(c["title"], c["before"], c["after"]) for c in diff["progress_changes"]] == [
        ("Cut lead time", 0.0, 0.3)]  # Side quest moved by 0.03, below min_delta
    assert [(c["title"], c["before"], c["after"]) for c in diff["owner_changes"]] == [
        ("Keep the lights on", "ceo", "cleo")]
    assert diff["closed"] == diff["state_changes"] == diff["score_changes"] == []


def test_min_delta_and_moments_choose_what_is_listed(api):
    ids = a_changing_cycle(api)
    wait = f"min_position={ids['end']}"
    small = ok(api.owner.get(f"/v1/cycles/{ids['cycle']}/tree/diff?from_position={ids['start']}"
                             f"&min_delta=0.01&{wait}"))
    assert [c["title"] for c in small["progress_changes"]] == ["Cut lead time", "Side quest"]
    assert small["to"]["position"] == ids["end"]
    by_time = ok(api.owner.get(f"/v1/cycles/{ids['cycle']}/tree/diff?from_time="
                               f"{small['from']['time']}&to_time={small['to']['time']}&{wait}"))
    changes = ("added", "cancelled", "reparented", "newly_supporting", "progress_changes")
    assert [by_time[name] for name in changes] == [small[name] for name in changes[:-1]] + [
        small["progress_changes"][:1]]


def test_bad_tree_diff_requests_name_the_parameter(api):
    cycle_id = open_cycle(api)
    path = f"/v1/cycles/{cycle_id}/tree/diff"
    for query, name in (("", "from_position"), ("from_position=999999", "from_position"),
                        ("from_position=0&to_position=999999", "to_position"),
                        ("from_position=0&from_time=2026-01-01T00:00:00Z", "from_time"),
                        ("from_position=0&min_delta=2", "min_delta")):
        response = api.owner.get(f"{path}?{query}")
        assert response.status_code == 422, (query, response.text)
        assert name in response.text
    assert api.owner.get("/v1/cycles/nope/tree/diff?from_position=0").status_code == 404


def test_a_past_tree_says_where_it_stands_and_never_shows_half_a_command(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    first = draft(api, cycle_id, title="First")
    second = draft(api, cycle_id, title="Second", key_results=[metric_kr(), metric_kr()])
    path = f"/v1/cycles/{cycle_id}/tree"
    ok(api.owner.get(f"{path}?min_position={second['position']}"))
    # The second draft's events: Drafted, two KeyResultAdded, its owner's index.
    for inside in range(first["position"] + 1, second["position"]):
        response = api.owner.get(f"{path}?at_position={inside}")
        assert [node["title"] for node in ok(response)] == ["First"]
        assert response.headers["OKR-As-Of-Position"] == str(first["position"])
    whole = api.owner.get(f"{path}?at_position={second['position']}")
    assert [len(node["key_results"]) for node in ok(whole)] == [1, 2]
    assert whole.headers["OKR-As-Of-Position"] == str(second["position"])
    moment = whole.headers["OKR-As-Of-Time"]
    by_time = api.owner.get(f"{path}?as_of={moment}")
    assert ok(by_time) == ok(whole)
    resolved = by_time.headers["OKR-As-Of-Position"]  # the cycle's last change up to then
    assert first["position"] < int(resolved) <= second["position"]
    assert ok(api.owner.get(f"{path}?at_position={resolved}")) == ok(whole)
    assert "OKR-As-Of-Position" not in api.owner.get(path).headers
