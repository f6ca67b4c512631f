"""Reads served from the projections: trees, listings, check-ins, audit and summaries.

Each read passes `min_position` from the command it follows, so it sees that command's effect.
"""

from __future__ import annotations

import csv
import io
import json

from api.cli import main
from tests.api.conftest import serve
from tests.api.http import active, draft, metric_kr, ok, open_cycle


def aligned_cycle(api):
    cycle_id = open_cycle(api)
    company = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Win the market", "owner": "ceo", "reviewer": "ada",
        "level": "company", "key_results": [metric_kr()]}), 201)
    team = active(api, cycle_id, parent_id=company["id"])
    return cycle_id, company, team


def test_the_tree_nests_aligned_objectives_under_their_parent(stored_api):
    api = stored_api
    cycle_id, company, team = aligned_cycle(api)
    kr = team["key_results"][0]["id"]
    checked = ok(api.owner.post(f"/v1/objectives/{team['id']}/check-ins",
                                {"key_result_id": kr, "value": 50, "confidence": 0.7}))

    for caller in (api.owner, api.auditor, api.integrator):
        roots = ok(caller.get(f"/v1/cycles/{cycle_id}/tree?min_position={checked['position']}"))
        assert [root["id"] for root in roots] == [company["id"]]
        child = roots[0]["children"][0]
        assert child["id"] == team["id"] and child["progress"] == 0.5
        assert roots[0]["aligned_progress"] == 0.25


def test_the_tree_as_it_stood_at_an_earlier_position(api):
    cycle_id, company, team = aligned_cycle(api)
    before = ok(api.owner.get(f"/v1/objectives/{team['id']}"))
    cancelled = ok(api.owner.post(f"/v1/objectives/{team['id']}/cancel", {"reason": "moot"}))
    path = f"/v1/cycles/{cycle_id}/tree"
    now = ok(api.owner.get(f"{path}?min_position={cancelled['position']}"))
    assert now[0]["children"][0]["state"] == "cancelled"
    then = ok(api.owner.get(f"{path}?at_position={cancelled['position'] - 1}"))
    assert then[0]["children"][0]["state"] == before["state"] == "active"
    assert api.owner.get(f"{path}?at_position=1&as_of=2026-01-01").status_code == 422
    assert api.owner.get("/v1/cycles/nope/tree").status_code == 404


def test_objectives_are_listed_by_cycle_owner_and_state(api):
    cycle_id, company, team = aligned_cycle(api)
    drafted = draft(api, cycle_id, title="Later")
    wait = f"min_position={drafted['position']}"
    mine = ok(api.integrator.get(f"/v1/objectives?owner=bob&{wait}"))["items"]
    assert {o["id"] for o in mine} == {team["id"], drafted["id"]}
    drafts = ok(api.auditor.get(f"/v1/objectives?cycle_id={cycle_id}&state=draft&{wait}"))["items"]
    assert [o["id"] for o in drafts] == [company["id"], drafted["id"]]
    assert api.owner.get("/v1/objectives?state=sleeping").status_code == 422


def test_check_ins_are_a_series_with_who_and_when(api):
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    last = None
    for value in (10, 40):
        last = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                                 {"key_result_id": kr, "value": value, "confidence": 0.5,
                                  "note": f"at {value}"}))
    series = ok(api.reviewer.get(f"/v1/objectives/{oid}/key-results/{kr}/check-ins"
                                 f"?min_position={last['position']}"))["items"]
    assert [(c["value"], c["progress"], c["actor"], c["note"]) for c in series] == [
        (10, 0.1, "bob", "at 10"), (40, 0.4, "bob", "at 40")]
    assert api.owner.get(f"/v1/objectives/{oid}/key-results/nope/check-ins").status_code == 404


def test_the_adjustment_audit_shows_reason_before_after_and_decision(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "market shrank",
        "changes": [{"op": "retarget_key_result", "key_result_id": kr, "target": 60}]}), 201)
    decided = ok(api.reviewer.post(
        f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/reject",
        json={"comment": "keep it"}))

    for caller in (api.auditor, api.admin, api.stranger):
        audit = ok(caller.get(f"/v1/audit/adjustments?cycle_id={cycle_id}"
                              f"&min_position={decided['position']}"))["items"]
        assert len(audit) == 1
        record = audit[0]
        assert (record["reason"], record["decision"], record["decided_by"]) == (
            "market shrank", "rejected", "rita")
        assert record["changes"][0]["before"] == {"target": 100.0}
        assert record["changes"][0]["after"] == {"target": 60}
    assert api.integrator.get("/v1/audit/adjustments").status_code == 403
    assert ok(api.auditor.get("/v1/audit/adjustments?since=2999-01-01"))["items"] == []
    assert api.auditor.get("/v1/audit/adjustments?until=someday").status_code == 422


def test_the_summary_counts_the_cycle_and_lists_stale_objectives(api):
    cycle_id, company, team = aligned_cycle(api)
    summary = ok(api.auditor.get(f"/v1/cycles/{cycle_id}/summary?stale_days=7"
                                 f"&min_position={team['position']}"))
    assert summary["objectives"] == 2
    assert summary["by_level"] == {"company": 1, "team": 1}
    assert summary["by_state"] == {"draft": 1, "active": 1}
    assert [s["id"] for s in summary["stale"]] == [team["id"]]
    assert api.auditor.get(f"/v1/cycles/{cycle_id}/summary?stale_days=0").status_code == 422


def test_a_position_the_views_do_not_reach_in_time_is_a_bounded_503(api_settings):
    settings = api_settings.model_copy(update={"wait_timeout": 0.2, "background": False})
    for api in serve(settings):
        cycle_id = open_cycle(api)
        response = api.owner.get(f"/v1/objectives?cycle_id={cycle_id}&min_position=1")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json()["min_position"] == 1


def test_okr_export_and_rebuild_read_the_same_views(api_settings, capsys):
    for api in serve(api_settings):
        cycle_id, company, team = aligned_cycle(api)
        kr = team["key_results"][0]["id"]
        proposal = ok(api.owner.post(f"/v1/objectives/{team['id']}/adjustments", {
            "reason": "scope cut", "changes": [
                {"op": "retarget_key_result", "key_result_id": kr, "target": 80},
                {"op": "edit_objective", "title": "Delight some customers"}]}), 201)
        ok(api.reviewer.post(
            f"/v1/objectives/{team['id']}/adjustments/{proposal['adjustment_id']}/approve"))
    data_dir = ["--data-dir", str(api_settings.data_dir)]

    assert main(["projections", "rebuild", *data_dir]) == 0
    assert "rebuilt tree, audit, check_ins, decisions" in capsys.readouterr().out
    assert main(["export", "tree", "--cycle", cycle_id, "--format", "csv", *data_dir]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["depth"], r["id"]) for r in rows] == [("0", company["id"]), ("1", team["id"])]
    assert main(["export", "audit", "--cycle", cycle_id, "--format", "csv", *data_dir]) == 0
    audit = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["op"], r["decision"], r["reason"]) for r in audit] == [
        ("retarget_key_result", "approved", "scope cut"),
        ("edit_objective", "approved", "scope cut")]
    assert main(["export", "tree", "--cycle", cycle_id, "--format", "json", *data_dir]) == 0
    assert json.loads(capsys.readouterr().out)[0]["children"][0]["id"] == team["id"]
    assert main(["export", "tree", "--cycle", "nope", *data_dir]) == 2
    assert main(["projections", "rebuild", "nope", *data_dir]) == 2
