"""The decision log over HTTP and from the CLI, on SQLite and PostgreSQL: every decision with
who, in which role, when, why, and what it changed; filtered and paged by log position."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from api.cli import main
from tests.api.conftest import serve
from tests.api.http import Callers, active, metric_kr, ok, open_cycle
from tests.api.test_events import session_cookie


def decide_a_whole_cycle(api: Callers) -> dict[str, str]:
    """One objective taken through every decision, and one cancelled with a pending change."""
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id, key_results=[metric_kr(title="Cut lead time", start=0,
                                                             target=10)])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "bigger scope", "changes": [
            {"op": "retarget_key_result", "key_result_id": kr, "target": 12}]}), 201)
    ok(api.reviewer.post(f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}"
                         "/approve", {"comment": "agreed"}))
    ok(api.owner.post(f"/v1/objectives/{oid}/start-closing", {"reason": "quarter over"}))
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment",
                      {"scores": [{"key_result_id": kr, "score": 0.3, "note": "fair"}]}))
    ok(api.admin.post(f"/v1/objectives/{oid}/finalize", {"comment": "closing for rita",
        "overrides": [{"key_result_id": kr, "score": 0.7, "reason": "harder than it looked"}]}))
    other = active(api, cycle_id, title="Side quest")
    pending = ok(api.owner.post(f"/v1/objectives/{other['id']}/adjustments", {
        "reason": "rename", "changes": [{"op": "edit_objective", "title": "Main quest"}]}), 201)
    cancelled = ok(api.reviewer.post(f"/v1/objectives/{other['id']}/cancel",
                                     {"reason": "no capacity"}))
    return {"cycle": cycle_id, "objective": oid, "kr": kr, "other": other["id"],
            "pending": pending["adjustment_id"], "last": str(cancelled["position"])}


def log(api: Callers, query: str = "", wait: str = "0") -> dict:
    separator = "&" if query else ""
    return ok(api.auditor.get(f"/v1/audit/decisions?{query}{separator}min_position={wait}"))


def test_every_decision_is_listed_with_its_actor_role_time_position_and_why(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    entries = log(stored_api, wait=ids["last"])["decisions"]
    assert [(e["action"], e["actor"], e["role"], e["reason"]) for e in entries] == [
        ("submitted", "bob", "owner", ""), ("approved", "rita", "reviewer", ""),
        ("adjustment_proposed", "bob", "owner", "bigger scope"),
        ("adjustment_approved", "rita", "reviewer", "agreed"),
        ("closing_started", "bob", "owner", "quarter over"),
        ("self_assessed", "bob", "owner", ""),
        ("finalized", "ada", "admin", "closing for rita"),
        ("submitted", "bob", "owner", ""), ("approved", "rita", "reviewer", ""),
        ("adjustment_proposed", "bob", "owner", "rename"),
        ("cancelled", "rita", "reviewer", "no capacity"),
        ("adjustment_withdrawn", "rita", "reviewer", "no capacity")]
    positions = [e["position"] for e in entries]
    assert positions == sorted(positions) and positions[-1] == positions[-2] == int(ids["last"])
    assert all(e["command_id"] and e["time"] for e in entries)
    assert {e["objective_title"] for e in entries} == {"Delight customers", "Side quest"}


def test_adjustments_carry_their_changes_and_the_decision_its_proposal(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    approved = log(stored_api, "action=adjustment_approved", ids["last"])["decisions"][0]
    assert (approved["proposed_by"], approved["proposal_reason"]) == ("bob", "bigger scope")
    assert approved["changes"] == [{
        "op": "retarget_key_result", "key_result_id": ids["kr"],
        "key_result_title": "Cut lead time", "before": {"target": 10}, "after": {"target": 12}}]
    withdrawn = log(stored_api, "action=adjustment_withdrawn", ids["last"])["decisions"][0]
    assert withdrawn["adjustment_id"] == ids["pending"]
    assert withdrawn["changes"][0]["after"] == {"title": "Main quest"}


def test_a_finalize_lists_each_kr_s_suggested_self_and_final_score_and_why(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    finalized = log(stored_api, "action=finalized", ids["last"])["decisions"][0]
    assert finalized["score"] == 0.7
    assert finalized["key_results"] == [{
        "key_result_id": ids["kr"], "title": "Cut lead time", "suggested_score": 0.0,
        "self_score": 0.3, "final_score": 0.7, "overridden": True,
        "reason": "harder than it looked", "note": ""}]


def test_the_log_is_filtered_by_cycle_objective_actor_action_and_time(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    every = log(stored_api, wait=ids["last"])["decisions"]
    by_objective = log(stored_api, f"objective_id={ids['other']}")["decisions"]
    assert {e["objective_id"] for e in by_objective} == {ids["other"]} and len(by_objective) == 5
    assert [e["action"] for e in log(stored_api, "actor=ada")["decisions"]] == ["finalized"]
    assert len(log(stored_api, f"cycle_id={ids['cycle']}")["decisions"]) == len(every)
    assert log(stored_api, "cycle_id=elsewhere")["decisions"] == []
    fifth = every[4]["time"].replace("+", "%2B")
    since = log(stored_api, f"since={fifth}")["decisions"]
    until = log(stored_api, f"until={fifth}")["decisions"]
    assert len(since) + len(until) == len(every) and since[0] == every[4]
    refused = stored_api.auditor.get("/v1/audit/decisions?action=approve")
    assert refused.status_code == 422 and "adjustment_withdrawn" in refused.text


def test_the_log_comes_in_pages_by_position_with_next_after_and_a_link(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    every = log(stored_api, wait=ids["last"])["decisions"]
    seen, after, links = [], 0, 0
    while after is not None:
        response = stored_api.auditor.get(f"/v1/audit/decisions?limit=3&after={after}")
        page = ok(response)
        assert len(page["decisions"]) <= 3 or {e["position"] for e in page["decisions"]} == 1
        seen += page["decisions"]
        after = page["next_after"]
        if after is not None:
            links += 1
            link = response.headers["Link"]
            assert link.endswith('>; rel="next"')
            assert parse_qs(urlsplit(link[1:link.index(">")]).query)["after"] == [str(after)]
    assert seen == every and links == 3


def test_a_page_never_splits_the_entries_of_one_event(stored_api):
    ids = decide_a_whole_cycle(stored_api)
    every = log(stored_api, wait=ids["last"])["decisions"]
    before_cancel = every[-3]["position"]
    page = log(stored_api, f"after={before_cancel}&limit=1")
    assert [e["action"] for e in page["decisions"]] == ["cancelled", "adjustment_withdrawn"]
    assert page["next_after"] is None


@pytest.mark.parametrize("role", ["member", "auditor", "admin"])
def test_the_log_is_read_by_members_auditors_and_admins_not_integrators(api, role):
    assert api.caller("x", role).get("/v1/audit/decisions").status_code == 200
    assert api.integrator.get("/v1/audit/decisions").status_code == 403


def test_okr_export_decisions_writes_csv_and_json(api_settings, capsys):
    for api in serve(api_settings):
        ids = decide_a_whole_cycle(api)
    data_dir = ["--data-dir", str(api_settings.data_dir)]
    assert main(["export", "decisions", "--format", "csv", *data_dir]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 12 and rows[3]["action"] == "adjustment_approved"
    assert json.loads(rows[3]["changes"])[0]["after"] == {"target": 12}
    assert main(["export", "decisions", "--objective", ids["other"], "--action", "cancelled",
                 *data_dir]) == 0
    [cancelled] = json.loads(capsys.readouterr().out)
    assert (cancelled["actor"], cancelled["reason"]) == ("rita", "no capacity")
    assert main(["export", "decisions", "--action", "nonsense", *data_dir]) == 2
    assert main(["export", "tree", *data_dir]) == 2
    assert "--cycle: is required to export a tree" in capsys.readouterr().err


def test_the_audit_page_names_only_the_scores_a_decision_records(api):
    ids = decide_a_whole_cycle(api)
    log(api, wait=ids["last"])  # the views hold every decision
    api.client.cookies.update(session_cookie(api, "ada", "admin", 600))
    page = api.client.get("/audit?action=self_assessed")
    assert page.status_code == 200
    assert "“Cut lead time” self 0.3</div>" in page.text
    assert "suggested" not in page.text.split('id="decisions"')[1].split("</table>")[0]
    finalized = api.client.get("/audit?action=finalized").text
    assert "“Cut lead time” suggested 0.0, self 0.3, final 0.7 (overridden:" in finalized
