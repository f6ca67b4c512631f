"""Whole commands in time travel and diffs that cite the commands, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.http import draft, metric_kr, ok, open_cycle


def test_reads_by_position_and_moment_show_whole_commands_and_history_names_them(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[metric_kr(title="a"), metric_kr(title="b")])
    oid = objective["id"]
    edited = ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Sharper",
                                                           "reason": "clearer"}))
    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]
    drafting = [e for e in history if e["command_id"] == history[0]["command_id"]]
    assert [e["type"] for e in drafting] == ["Drafted", "KeyResultAdded", "KeyResultAdded"]
    assert [e["position"] for e in history] == sorted(e["position"] for e in history)
    assert history[-1]["position"] == edited["position"] and history[-1]["role"] == "owner"
    inside = history[0]["position"]  # the draft's first event: no KRs yet
    assert api.auditor.get(f"/v1/objectives/{oid}?at_position={inside}").status_code == 404
    whole = ok(api.auditor.get(f"/v1/objectives/{oid}?at_position={objective['position']}"))
    assert (whole["title"], len(whole["key_results"])) == ("Delight customers", 2)
    at_moment = ok(api.auditor.get(f"/v1/objectives/{oid}", params={"as_of": history[0]["time"]}))
    assert len(at_moment["key_results"]) == 2
    now = ok(api.auditor.get(f"/v1/objectives/{oid}?at_position={edited['position']}"))
    assert now["title"] == "Sharper"


def test_version_as_of_and_at_position_are_one_or_another(api):
    cycle_id = open_cycle(api)
    oid = draft(api, cycle_id)["id"]
    response = api.owner.get(f"/v1/objectives/{oid}",
                             params={"version": 1, "as_of": "2026-01-01T00:00:00Z"})
    assert response.status_code == 422
    named = {error["field"] for error in response.json()["errors"]}
    assert named == {"version", "as_of"}


def test_a_diff_lists_the_commands_that_changed_each_field(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[metric_kr(title="Cut lead time", target=10)])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{kr}", {"target": 11,
                                                                  "reason": "scope"}))
    ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Sharper"}))
    last = ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{kr}",
                              {"target": 12, "reason": "more scope"}))
    diff = ok(api.auditor.get(f"/v1/objectives/{oid}/diff?from={objective['version']}"
                              f"&to={last['version']}"))
    target = next(c for c in diff["changes"] if c["field"] == f"key_results.{kr}.target")
    assert (target["old"], target["new"]) == (10, 12)
    assert [(c["actor"], c["reason"], c["role"]) for c in target["commands"]] == [
        ("bob", "scope", "owner"), ("bob", "more scope", "owner")]
    title = next(c for c in diff["changes"] if c["field"] == "title")
    assert [c["version"] for c in title["commands"]] == [objective["version"] + 2]
    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]
    by_time = ok(api.auditor.get(f"/v1/objectives/{oid}/diff", params={
        "from_time": history[0]["time"], "to_time": history[-1]["time"]}))
    assert by_time["changes"] == diff["changes"]
    assert by_time["from_version"] == objective["version"]
    to_now = ok(api.auditor.get(f"/v1/objectives/{oid}/diff?from={objective['version']}"))
    assert to_now["to_version"] == last["version"]


def test_a_diff_end_is_a_version_or_a_moment(api):
    cycle_id = open_cycle(api)
    oid = draft(api, cycle_id)["id"]
    both = api.owner.get(f"/v1/objectives/{oid}/diff",
                         params={"from": 1, "from_time": "2026-01-01T00:00:00Z"})
    assert both.status_code == 422
    assert {e["field"] for e in both.json()["errors"]} == {"from", "from_time"}
    assert api.owner.get(f"/v1/objectives/{oid}/diff").status_code == 422
