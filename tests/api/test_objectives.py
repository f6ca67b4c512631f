"""Drafting, editing, key results, adjustments and carrying over, over HTTP."""

from __future__ import annotations

from tests.api.http import active, draft, metric_kr, ok, open_cycle


def test_a_draft_is_created_with_its_location_etag_and_position(api):
    cycle_id = open_cycle(api)
    response = api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Grow the platform", "reviewer": "rita",
        "level": "team", "kind": "non_business", "key_results": [metric_kr()]})
    created = ok(response, 201)
    assert response.headers["location"] == f"/v1/objectives/{created['id']}"
    assert response.headers["etag"] == f'"{created["version"]}"'
    assert created["kind"] == "non_business" and created["position"] > 0
    fetched = api.owner.get(f"/v1/objectives/{created['id']}")
    assert fetched.headers["etag"] == f'"{created["version"]}"'
    assert "position" not in fetched.json()


def test_aligned_objectives_name_their_parent_and_whom_they_support(api):
    cycle_id = open_cycle(api)
    company = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Win the market", "owner": "ceo", "reviewer": "ada",
        "level": "company", "key_results": [metric_kr()]}), 201)
    other = draft(api, cycle_id, title="Other team")
    team = draft(api, cycle_id, parent_id=company["id"], supports=[other["id"]])
    assert team["parent_id"] == company["id"] and team["supports"] == [other["id"]]
    response = api.owner.patch(f"/v1/objectives/{team['id']}", {"parent_id": team["id"]})
    assert response.status_code == 422


def test_drafts_are_edited_with_their_key_results_and_stay_in_history(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    oid = objective["id"]
    edited = ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Delight more customers"}))
    assert edited["title"] == "Delight more customers"
    added = ok(api.owner.post(f"/v1/objectives/{oid}/key-results", {
        "title": "Ship the app", "kind": "milestone", "due_on": "2026-12-15"}), 201)
    assert added["kind"] == "milestone" and added["objective_id"] == oid
    changed = ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{added['id']}",
                                 {"challenge": "stretch", "weight": 2}))
    assert changed["key_results"][1]["challenge"] == "stretch"
    first_kr = objective["key_results"][0]["id"]
    removed = ok(api.owner.delete(f"/v1/objectives/{oid}/key-results/{first_kr}?reason=dup"))
    assert [kr["removed"] for kr in removed["key_results"]] == [True, False]

    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]
    assert [entry["type"] for entry in history][-4:] == [
        "Edited", "KeyResultAdded", "KeyResultEdited", "KeyResultRemoved"]
    assert all(entry["actor"] == "bob" for entry in history)
    diff = ok(api.auditor.get(f"/v1/objectives/{oid}/diff?from=1&to={removed['version']}"))
    assert {"field": "title", "old": "Delight customers", "new": "Delight more customers"} in [
        {name: change[name] for name in ("field", "old", "new")} for change in diff["changes"]]
    past = ok(api.auditor.get(f"/v1/objectives/{oid}?version=1"))
    assert past["title"] == "Delight customers" and past["version"] == 1


def test_an_adjustment_keeps_the_original_and_an_approved_one_applies(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    response = api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "market shrank", "changes": [
            {"op": "retarget_key_result", "key_result_id": kr, "target": 60},
            {"op": "add_key_result", "title": "Cut churn", "kind": "metric", "start": 10,
             "target": 5},
            {"op": "edit_objective", "title": "Delight loyal customers"}]})
    proposal = ok(response, 201)
    assert proposal["status"] == "pending" and proposal["reason"] == "market shrank"
    assert proposal["changes"][0]["before"] == {"target": 100.0}
    assert ok(api.owner.get(f"/v1/objectives/{oid}"))["state"] == "adjusting"

    applied = ok(api.reviewer.post(
        f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/approve",
        json={"comment": "agreed"}))
    assert applied["state"] == "active" and applied["title"] == "Delight loyal customers"
    assert applied["key_results"][0]["target"] == 60
    assert applied["key_results"][0]["original"]["target"] == 100
    assert len(applied["key_results"]) == 2


def test_a_rejected_adjustment_leaves_the_objective_as_it_was(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid = objective["id"]
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "too hard", "changes": [{"op": "realign", "supports": []}]}), 201)
    rejected = ok(api.reviewer.post(
        f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/reject"))
    assert rejected["state"] == "active" and rejected["title"] == objective["title"]
    again = api.reviewer.post(
        f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/approve")
    assert again.status_code == 409


def test_a_cancelled_objective_is_carried_over_into_a_later_cycle_as_a_new_draft(api):
    cycle_id = open_cycle(api)
    later = open_cycle(api, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    objective = active(api, cycle_id)
    cancelled = ok(api.owner.post(f"/v1/objectives/{objective['id']}/cancel",
                                  {"reason": "priorities changed"}))
    assert cancelled["state"] == "cancelled"
    response = api.owner.post(f"/v1/objectives/{objective['id']}/carry-over",
                              {"cycle_id": later})
    carried = ok(response, 201)
    assert carried["cycle_id"] == later and carried["state"] == "draft"
    assert carried["carried_over_from"] == objective["id"]
    assert response.headers["location"] == f"/v1/objectives/{carried['id']}"


def test_milestone_check_ins_say_done(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id, key_results=[
        {"title": "Ship it", "kind": "milestone", "due_on": "2026-12-01"}])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    done = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                             {"key_result_id": kr, "done": True, "confidence": 1.0}))
    assert done["key_results"][0]["done"] is True and done["progress"] == 1.0
    assert api.owner.post(f"/v1/objectives/{oid}/check-ins", {
        "key_result_id": kr, "value": 3, "confidence": 1.0}).status_code == 422


def test_a_patch_that_changes_nothing_writes_no_event_and_returns_the_objective(api):
    cycle_id = open_cycle(api)
    objective = ok(api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Draft", "reviewer": "rita", "level": "team",
        "key_results": [metric_kr()]}), 201)
    oid, kr = objective["id"], objective["key_results"][0]["id"]

    same = ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Draft", "level": "team"}))
    same_kr = ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{kr}",
                                 {"title": objective["key_results"][0]["title"], "target": 100}))

    for answer in (same, same_kr):
        assert answer["version"] == objective["version"]
        assert answer["modified_at"] == objective["modified_at"]
    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]
    assert len(history) == objective["version"]
