"""Separation of duties through every path, on SQLite and PostgreSQL: who owns and who reviews
a draft is changed by an admin (or the reviewer hands over, with a reason); owner and reviewer
are never one person; whoever has owned an objective never approves it, decides its
adjustments or finalizes it."""

from __future__ import annotations

from tests.api.http import Callers, active, draft, ok, open_cycle


def test_an_owner_cannot_make_a_friend_owner_and_themselves_reviewer(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    path = f"/v1/objectives/{objective['id']}"
    for body in ({"owner": "sam", "reviewer": "bob"}, {"owner": "sam"}, {"reviewer": "sam"}):
        refused = api.owner.patch(path, body)
        assert refused.status_code == 403, refused.text
        assert "admin" in refused.json()["detail"]
    assert ok(api.owner.get(path))["version"] == objective["version"], "nothing was stored"


def test_whoever_owned_an_objective_never_approves_it_even_after_an_admin_moved_it(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    oid = objective["id"]
    ok(api.admin.patch(f"/v1/objectives/{oid}", {"owner": "sam", "reviewer": "bob",
                                                 "reason": "reorganised"}))
    ok(api.stranger.post(f"/v1/objectives/{oid}/submit"))
    refused = api.owner.post(f"/v1/objectives/{oid}/approve")
    assert refused.status_code == 403 and "owner" in refused.json()["detail"]
    as_admin = api.caller("bob", "admin").post(f"/v1/objectives/{oid}/approve")
    assert as_admin.status_code == 403, "an admin who owned it may not approve it either"


def test_adjustment_decisions_and_finalize_refuse_a_former_owner(api):
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.admin.patch(f"/v1/objectives/{oid}", {"owner": "sam", "reviewer": "rita"}))
    ok(api.stranger.post(f"/v1/objectives/{oid}/submit"))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/approve"))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/hand-over",
                         {"reviewer": "bob", "reason": "rita is on leave"}))
    proposal = ok(api.stranger.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "rename", "changes": [{"op": "edit_objective", "title": "Renamed"}]}), 201)
    decide = f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}"
    assert api.owner.post(f"{decide}/approve").status_code == 403
    assert api.owner.post(f"{decide}/reject").status_code == 403
    ok(api.admin.post(f"{decide}/reject", {"comment": "not now"}))
    ok(api.stranger.post(f"/v1/objectives/{oid}/start-closing"))
    ok(api.stranger.post(f"/v1/objectives/{oid}/self-assessment",
                         {"scores": [{"key_result_id": kr, "score": 0.3}]}))
    assert api.owner.post(f"/v1/objectives/{oid}/finalize").status_code == 403
    ok(api.admin.post(f"/v1/objectives/{oid}/finalize"))


def test_the_reviewer_hands_over_with_a_reason_never_to_the_owner(api: Callers):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    path = f"/v1/objectives/{objective['id']}/hand-over"
    assert api.reviewer.post(path, {"reviewer": "sam"}).status_code == 422
    to_owner = api.reviewer.post(path, {"reviewer": "bob", "reason": "leaving"})
    assert to_owner.status_code == 422 and "reviewer" in to_owner.text
    assert api.owner.post(path, {"reviewer": "sam", "reason": "I prefer sam"}).status_code == 403
    handed = ok(api.reviewer.post(path, {"reviewer": "sam", "reason": "leaving"}))
    assert handed["reviewer"] == "sam"
    timeline = ok(api.auditor.get(f"/v1/objectives/{objective['id']}/timeline"))["entries"]
    assert (timeline[-1]["summary"], timeline[-1]["role"], timeline[-1]["reason"]) == (
        "Reviewer changed from 'rita' to 'sam'", "reviewer", "leaving")


def test_owner_and_reviewer_are_never_one_person(api):
    cycle_id = open_cycle(api)
    same = api.owner.post("/v1/objectives", {"cycle_id": cycle_id, "title": "Mine",
                                             "reviewer": "bob", "level": "team"})
    assert same.status_code == 422 and "reviewer" in same.text
    objective = draft(api, cycle_id)
    made_same = api.admin.patch(f"/v1/objectives/{objective['id']}", {"reviewer": "bob"})
    assert made_same.status_code == 422 and "reviewer" in made_same.text
