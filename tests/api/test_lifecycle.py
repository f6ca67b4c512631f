"""The whole set -> review -> close loop over HTTP, as the method runs it."""

from __future__ import annotations

import pytest

from tests.api.http import active, draft, metric_kr, ok, open_cycle


def test_an_objective_goes_from_draft_to_closed_and_scored(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, key_results=[metric_kr(challenge="stretch")])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    assert objective["state"] == "draft" and objective["owner"] == "bob"
    assert objective["allowed_actions"] == ["edit", "submit", "cancel"]

    steps = [
        (api.owner, "submit", None, "in_review"),
        (api.reviewer, "request-changes", {"comment": "be bolder"}, "draft"),
        (api.owner, "submit", None, "in_review"),
        (api.reviewer, "approve", {"comment": "good"}, "active"),
        (api.owner, "check-ins", {"key_result_id": kr, "value": 70, "confidence": 0.6}, "active"),
        (api.owner, "start-closing", None, "scoring"),
        (api.owner, "self-assessment", {"scores": [{"key_result_id": kr, "score": 0.7}]},
         "score_review"),
        (api.reviewer, "finalize", {}, "closed"),
    ]
    last_position = 0
    for caller, action, body, state in steps:
        result = ok(caller.post(f"/v1/objectives/{oid}/{action}", body))
        assert result["state"] == state, action
        assert result["position"] > last_position
        last_position = result["position"]

    closed = ok(api.auditor.get(f"/v1/objectives/{oid}"))
    assert closed["score"] == 0.7
    assert closed["key_results"][0]["final_score"] == 0.7
    assert closed["allowed_actions"] == []


@pytest.mark.parametrize(
    ("challenge", "reached", "expected"),
    [("committed", 100, 0.3), ("stretch", 70, 0.7), ("stretch", 100, 1.0), ("stretch", 0, 0.0)],
)
def test_the_seed_scoring_cases_over_http(api, challenge, reached, expected):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id, key_results=[metric_kr(challenge=challenge)])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    checked = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                                {"key_result_id": kr, "value": reached, "confidence": 0.9}))
    suggested = checked["key_results"][0]["suggested_score"]
    assert suggested == expected

    ok(api.owner.post(f"/v1/objectives/{oid}/start-closing"))
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment",
                      {"scores": [{"key_result_id": kr, "score": suggested}]}))
    closed = ok(api.reviewer.post(f"/v1/objectives/{oid}/finalize"))

    assert closed["state"] == "closed"
    assert closed["score"] == expected


def test_the_reviewer_overrides_a_score_with_a_reason_and_returns_an_assessment(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    ok(api.owner.post(f"/v1/objectives/{oid}/start-closing"))
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment",
                      {"scores": [{"key_result_id": kr, "score": 1.0}]}))
    returned = ok(api.reviewer.post(f"/v1/objectives/{oid}/return-assessment",
                                    {"comment": "1.0 needs evidence"}))
    assert returned["state"] == "scoring"
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment",
                      {"scores": [{"key_result_id": kr, "score": 0.3, "note": "fair"}]}))

    closed = ok(api.reviewer.post(f"/v1/objectives/{oid}/finalize", {"overrides": [
        {"key_result_id": kr, "score": 0.7, "reason": "harder than it looked"}]}))

    assert closed["key_results"][0]["self_score"] == 0.3
    assert closed["key_results"][0]["final_score"] == 0.7
    assert closed["key_results"][0]["override_reason"] == "harder than it looked"
