"""An objective's timeline on SQLite and PostgreSQL: one entry per command, in words, with
who, in which role, when, where in the log, why and what changed; adjustments joined."""

from __future__ import annotations

from tests.api.http import Callers, draft, metric_kr, ok, open_cycle


def retargeted_objective(api: Callers) -> dict[str, str]:
    """A draft with two KRs, one edited, approved, checked in, adjusted; another cancelled
    with its adjustment pending."""
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[
        metric_kr(title="Cut lead time", start=0, target=10, unit="days"),
        metric_kr(title="Ship weekly")])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{kr}",
                       {"title": "Cut lead time", "reason": "scope settled"}))
    ok(api.owner.post(f"/v1/objectives/{oid}/submit"))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/approve", {"comment": "good"}))
    ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                      {"key_result_id": kr, "value": 4, "confidence": 0.6, "note": "on track"}))
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "bigger scope",
        "changes": [{"op": "retarget_key_result", "key_result_id": kr, "target": 12}]}), 201)
    ok(api.reviewer.post(f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}"
                         "/approve", {"comment": "agreed"}))
    return {"objective": oid, "kr": kr, "cycle": cycle_id}


def test_one_entry_per_command_oldest_first_in_words(stored_api):
    ids = retargeted_objective(stored_api)
    entries = ok(stored_api.auditor.get(f"/v1/objectives/{ids['objective']}/timeline"))["entries"]
    assert [(e["action"], e["actor"], e["role"], e["reason"]) for e in entries] == [
        ("drafted", "bob", "owner", ""), ("submitted", "bob", "owner", ""),
        ("approved", "rita", "reviewer", "good"), ("checked_in", "bob", "owner", "on track"),
        ("adjustment_proposed", "bob", "owner", "bigger scope"),
        ("adjustment_approved", "rita", "reviewer", "agreed")]
    drafted = entries[0]
    assert drafted["events"] == ["Drafted", "KeyResultAdded", "KeyResultAdded"]
    assert drafted["summary"] == ("Drafted 'Delight customers' for bob, reviewed by rita, "
                                  "with key results 'Cut lead time', 'Ship weekly'")
    assert (drafted["from_version"], drafted["version"]) == (1, 3)
    assert entries[3]["summary"] == "Checked in 'Cut lead time': 4 days, confidence 0.6"
    approved = entries[-1]
    assert approved["summary"] == ("Adjustment approved: target of 'Cut lead time' raised "
                                   "from 10 to 12")
    target = [c for c in approved["changes"] if c["field"].endswith(".target")]
    assert target == [{"field": f"key_results.{ids['kr']}.target", "key_result_id": ids["kr"],
                       "key_result_title": "Cut lead time", "before": 10, "after": 12}]
    positions = [e["position"] for e in entries]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert all(e["command_id"] and e["time"].endswith("Z") for e in entries)


def test_an_edit_that_changes_nothing_is_no_entry_and_a_kr_edit_reads_as_a_sentence(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[metric_kr(title="Cut lead time", target=10)])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{kr}",
                       {"target": 8, "reason": "be realistic"}))
    ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Delight customers"}))
    entries = ok(api.owner.get(f"/v1/objectives/{oid}/timeline"))["entries"]
    assert [e["summary"] for e in entries[1:]] == [
        "Target of 'Cut lead time' lowered from 10 to 8"]
    assert entries[1]["reason"] == "be realistic"


def test_the_proposal_learns_its_decision_and_the_decision_carries_its_proposal(stored_api):
    ids = retargeted_objective(stored_api)
    entries = ok(stored_api.auditor.get(f"/v1/objectives/{ids['objective']}/timeline"))["entries"]
    proposed, approved = entries[-2], entries[-1]
    assert proposed["adjustment"]["status"] == "approved"
    assert proposed["adjustment"]["decision"] == {
        "status": "approved", "actor": "rita", "role": "reviewer", "time": approved["time"],
        "position": approved["position"], "reason": "agreed"}
    joined = approved["adjustment"]
    assert (joined["proposed_by"], joined["proposal_reason"], joined["proposed_at"],
            joined["proposal_position"]) == ("bob", "bigger scope", proposed["time"],
                                             proposed["position"])
    assert joined["changes"] == [{"op": "retarget_key_result", "key_result_id": ids["kr"],
                                  "before": {"target": 10}, "after": {"target": 12}}]


def test_a_cancel_withdraws_the_pending_proposal_in_the_timeline(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    oid = objective["id"]
    ok(api.owner.post(f"/v1/objectives/{oid}/submit"))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/approve"))
    ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "rename", "changes": [{"op": "edit_objective", "title": "Main quest"}]}), 201)
    ok(api.reviewer.post(f"/v1/objectives/{oid}/cancel", {"reason": "no capacity"}))
    entries = ok(api.owner.get(f"/v1/objectives/{oid}/timeline"))["entries"]
    assert entries[-2]["summary"] == ("Adjustment proposed: title changed from "
                                      "'Delight customers' to 'Main quest'")
    assert entries[-2]["adjustment"]["decision"]["status"] == "withdrawn"
    assert entries[-1]["summary"] == "Cancelled; the pending adjustment is withdrawn"


def test_the_timeline_is_for_readers_of_history_and_names_what_is_missing(api):
    cycle_id = open_cycle(api)
    oid = draft(api, cycle_id)["id"]
    assert api.integrator.get(f"/v1/objectives/{oid}/timeline").status_code == 403
    missing = api.owner.get("/v1/objectives/00000000-0000-0000-0000-000000000000/timeline")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
