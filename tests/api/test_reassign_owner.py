"""An admin gives an open objective to a new owner when its owner leaves (issue 14), on SQLite
and PostgreSQL: one `Reassigned` event with who owned it before and after and why, the owner
index moved in the same transaction, and the change in the history, the decision log, the
listings and the separation of duties."""

from __future__ import annotations

from domain.indexes import OwnerCycleIndex
from tests.api.http import Callers, active, draft, ok, open_cycle


def reassign(api: Callers, objective_id: str, body: dict, who: str = "admin"):
    return getattr(api, who).post(f"/v1/objectives/{objective_id}/reassign", body)


def owned_in(api: Callers, cycle_id: str, owner: str) -> list[str]:
    """The objective ids the ledger's owner index holds for `owner` in the cycle."""
    repository = api.client.app.state.ledger.repository  # type: ignore[attr-defined]
    return list(repository.get(OwnerCycleIndex.create_id(cycle_id, owner)).objective_ids)


def test_an_admin_gives_an_active_objective_to_a_new_owner_with_a_reason(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid = objective["id"]

    moved = ok(reassign(api, oid, {"owner": "sam", "reason": "bob moved to platform"}))

    assert (moved["owner"], moved["state"], moved["version"]) == (
        "sam", "active", objective["version"] + 1)
    assert owned_in(api, cycle_id, "sam") == [oid] and owned_in(api, cycle_id, "bob") == []
    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history?limit=1000"))["items"]
    assert (history[-1]["type"], history[-1]["data"]["before"], history[-1]["data"]["after"],
            history[-1]["data"]["reason"]) == (
        "Reassigned", {"owner": "bob"}, {"owner": "sam"}, "bob moved to platform")
    timeline = ok(api.auditor.get(f"/v1/objectives/{oid}/timeline"))["entries"]
    assert (timeline[-1]["summary"], timeline[-1]["role"], timeline[-1]["reason"]) == (
        "Owner changed from 'bob' to 'sam'", "admin", "bob moved to platform")
    decisions = ok(api.auditor.get("/v1/audit/decisions?action=reassigned&min_position="
                                   f"{moved['position']}"))["decisions"]
    assert [(d["objective_id"], d["actor"], d["role"], d["before"], d["after"], d["reason"])
            for d in decisions] == [(oid, "ada", "admin", {"owner": "bob"}, {"owner": "sam"},
                                     "bob moved to platform")]
    listed = ok(api.auditor.get(f"/v1/objectives?owner=sam&min_position={moved['position']}"))
    assert [item["id"] for item in listed["items"]] == [oid]
    kr = objective["key_results"][0]["id"]
    check_in = {"key_result_id": kr, "value": 5, "confidence": 0.5}
    assert api.owner.post(f"/v1/objectives/{oid}/check-ins", check_in).status_code == 403
    ok(api.stranger.post(f"/v1/objectives/{oid}/check-ins", check_in))  # sam owns it now


def test_only_an_admin_reassigns_and_only_to_a_known_active_person_not_the_reviewer(stored_api):
    api = stored_api
    objective = active(api, open_cycle(api))
    oid = objective["id"]

    for who in ("owner", "reviewer", "auditor"):
        refused = reassign(api, oid, {"owner": "sam", "reason": "why not"}, who)
        assert refused.status_code == 403, refused.text
    to_reviewer = reassign(api, oid, {"owner": "rita", "reason": "she knows it"})
    assert to_reviewer.status_code == 422
    assert to_reviewer.json()["errors"][0]["field"] == "owner"
    assert "reviewer" in to_reviewer.json()["errors"][0]["message"]
    stranger = reassign(api, oid, {"owner": "nobody-here", "reason": "new hire"})
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "owner"
    ok(api.admin.patch("/v1/people/cheng", {"active": False, "reason": "left"}))
    gone = reassign(api, oid, {"owner": "cheng", "reason": "back from leave"})
    assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "owner"
    no_reason = reassign(api, oid, {"owner": "sam", "reason": ""})
    assert no_reason.status_code == 422
    assert ok(api.admin.get(f"/v1/objectives/{oid}"))["version"] == objective["version"]


def test_a_closed_or_cancelled_objective_keeps_its_owner_with_a_409_naming_the_open_states(
        api):
    cycle_id = open_cycle(api)
    cancelled = draft(api, cycle_id)
    ok(api.owner.post(f"/v1/objectives/{cancelled['id']}/cancel", {"reason": "dropped"}))

    refused = reassign(api, cancelled["id"], {"owner": "sam", "reason": "bob left"})

    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["state"] == "cancelled"
    assert ("only in: draft, in_review, active, adjusting, scoring, score_review"
            in problem["detail"])
    assert owned_in(api, cycle_id, "bob") == [cancelled["id"]]


def test_a_former_owner_who_becomes_reviewer_still_never_approves(api):
    """Separation of duties reads every owner the objective had, reassignments included."""
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id)
    oid = objective["id"]
    ok(api.owner.post(f"/v1/objectives/{oid}/submit"))
    ok(reassign(api, oid, {"owner": "sam", "reason": "bob moved team"}))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/hand-over",
                         {"reviewer": "bob", "reason": "bob knows it best"}))

    refused = api.owner.post(f"/v1/objectives/{oid}/approve")

    assert refused.status_code == 403 and "have been this objective's owner" in refused.text
