"""The scoring rules exactly as the method says, over HTTP on SQLite and PostgreSQL: what a
reviewer reads back is what the method prescribes (regressions of issue 10)."""

from __future__ import annotations

import pytest

from tests.api.http import Callers, active, draft, metric_kr, ok, open_cycle


def check_in(api: Callers, oid: str, kr: str, value: float) -> dict:
    return ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                             {"key_result_id": kr, "value": value, "confidence": 0.9}))


def test_a_committed_kr_never_suggests_more_than_0_3(stored_api):
    objective = active(stored_api, open_cycle(stored_api), key_results=[metric_kr()])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    for value in (260, 340):
        assert check_in(stored_api, oid, kr, value)["key_results"][0]["suggested_score"] == 0.3


def test_linear_suggestions_and_the_objective_score_round_half_up(stored_api):
    api = stored_api
    cycle = ok(api.admin.post("/v1/cycles", {"name": "2026-Q4", "starts_on": "2026-10-01",
                                             "ends_on": "2026-12-31",
                                             "scoring_policy": "linear"}), 201)
    ok(api.admin.post(f"/v1/cycles/{cycle['id']}/start"))
    objective = active(api, cycle["id"], key_results=[
        metric_kr(title=f"kr{i}") for i in range(4)])
    oid, krs = objective["id"], [kr["id"] for kr in objective["key_results"]]
    suggested = check_in(api, oid, krs[0], 25)["key_results"][0]["suggested_score"]
    assert suggested == 0.3  # 0.25 half-up, not 0.2
    ok(api.owner.post(f"/v1/objectives/{oid}/start-closing"))
    scores = [{"key_result_id": kr, "score": s} for kr, s in zip(krs, (1.0, 0.3, 0.7, 0.3),
                                                                  strict=True)]
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment", {"scores": scores}))
    assert ok(api.reviewer.post(f"/v1/objectives/{oid}/finalize"))["score"] == 0.58


def test_original_progress_only_on_a_retargeted_kr(stored_api):
    api = stored_api
    objective = active(api, open_cycle(api), key_results=[
        metric_kr(title="Signups"), metric_kr(title="Churn")])
    oid, (signups, churn) = objective["id"], [kr["id"] for kr in objective["key_results"]]
    check_in(api, oid, signups, 60)
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "names and targets", "changes": [
            {"op": "edit_key_result", "key_result_id": churn, "title": "Monthly churn"},
            {"op": "retarget_key_result", "key_result_id": signups, "target": 120}]}), 201)
    ok(api.reviewer.post(f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/approve"))
    read = {kr["id"]: kr for kr in ok(api.auditor.get(f"/v1/objectives/{oid}"))["key_results"]}
    assert (read[churn]["retargeted"], read[churn]["original_progress"]) == (False, None)
    assert (read[signups]["retargeted"], read[signups]["original_progress"]) == (True, 0.6)
    assert read[signups]["progress"] == 0.5


@pytest.mark.parametrize("target", [5e-324, 1e-310])
def test_a_subnormal_span_is_refused_at_submit_like_an_equal_target(stored_api, target):
    objective = draft(stored_api, open_cycle(stored_api),
                      key_results=[metric_kr(title="tiny", start=0, target=target)])
    assert objective["key_results"][0]["progress"] == 0.0
    refused = stored_api.owner.post(f"/v1/objectives/{objective['id']}/submit")
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"].endswith(".target")
    assert "target must differ from start" in refused.json()["errors"][0]["message"]
