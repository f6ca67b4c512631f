"""Every command that changes an objective says why if asked to, and a deployment may insist
(`OKR_REASON_REQUIRED`), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.api.conftest import SECRET, serve
from tests.api.http import Callers, draft, metric_kr, ok, open_cycle
from tests.stores import postgres_database
from workflows.settings import Settings


def reasons_in_history(api: Callers, objective_id: str) -> list[tuple[str, str]]:
    history = ok(api.auditor.get(f"/v1/objectives/{objective_id}/history"))["items"]
    return [(event["type"], event["data"].get("reason", event["data"].get("comment", "")))
            for event in history]


def test_each_command_records_the_reason_it_was_given(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    objective = draft(api, cycle_id, reason="the board asked for it")
    oid = objective["id"]
    ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Delight more", "reason": "sharper"}))
    added = ok(api.owner.post(f"/v1/objectives/{oid}/key-results",
                              {**metric_kr(title="NPS"), "reason": "measure love"}), 201)
    ok(api.owner.patch(f"/v1/objectives/{oid}/key-results/{added['id']}",
                       {"target": 50, "reason": "realistic"}))
    ok(api.owner.delete(f"/v1/objectives/{oid}/key-results/{added['id']}?reason=duplicate"))
    ok(api.owner.post(f"/v1/objectives/{oid}/submit", {"reason": "ready"}))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/approve", {"comment": "good"}))
    ok(api.owner.post(f"/v1/objectives/{oid}/start-closing", {"reason": "done early"}))
    kr = objective["key_results"][0]["id"]
    ok(api.owner.post(f"/v1/objectives/{oid}/self-assessment", {
        "scores": [{"key_result_id": kr, "score": 0.3}], "reason": "as measured"}))
    ok(api.reviewer.post(f"/v1/objectives/{oid}/finalize", {"comment": "fair"}))
    assert [why for _, why in reasons_in_history(api, oid)] == [
        "the board asked for it", "", "sharper", "measure love", "realistic", "duplicate",
        "ready", "good", "done early", "as measured", "fair"]


def test_a_carry_over_records_its_reason_on_both_objectives(stored_api):
    api = stored_api
    objective = draft(api, open_cycle(api))
    ok(api.owner.post(f"/v1/objectives/{objective['id']}/cancel", {"reason": "reorg"}))
    later = open_cycle(api, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
    copy = ok(api.owner.post(f"/v1/objectives/{objective['id']}/carry-over",
                             {"cycle_id": later, "reason": "still matters"}), 201)
    assert reasons_in_history(api, objective["id"])[-1] == ("CarriedOver", "still matters")
    assert reasons_in_history(api, copy["id"])[0] == ("Drafted", "still matters")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def strict_api(request, tmp_path):
    """An API whose deployment wants the why of every approval, submit, draft and check-in."""
    policy = "approve,submit,draft,check_in,cancel"
    if request.param == "sqlite":
        yield from serve(Settings(data_dir=tmp_path, secret=SECRET, reason_required=policy))
    else:
        with postgres_database() as url:
            yield from serve(Settings(data_dir=tmp_path, database_url=url, secret=SECRET,
                                      reason_required=policy))


def refused_for(response, field: str, action: str) -> bool:
    errors = response.json().get("errors", [])
    return response.status_code == 422 and errors[0]["field"] == field and \
        f"is required to {action}" in errors[0]["message"]


def test_a_required_reason_is_refused_blank_naming_the_action(strict_api):
    api = strict_api
    cycle_id = open_cycle(api)
    body = {"cycle_id": cycle_id, "title": "T", "reviewer": "rita", "level": "team",
            "key_results": [metric_kr()]}
    assert refused_for(api.owner.post("/v1/objectives", body), "reason", "draft")
    oid = ok(api.owner.post("/v1/objectives", {**body, "reason": "asked"}), 201)["id"]
    assert refused_for(api.owner.post(f"/v1/objectives/{oid}/submit"), "reason", "submit")
    assert refused_for(api.owner.post(f"/v1/objectives/{oid}/submit", {"reason": "  "}),
                       "reason", "submit")
    ok(api.owner.post(f"/v1/objectives/{oid}/submit", {"reason": "ready"}))
    assert refused_for(api.reviewer.post(f"/v1/objectives/{oid}/approve"), "comment", "approve")
    approved = ok(api.reviewer.post(f"/v1/objectives/{oid}/approve", {"comment": "ok"}))
    kr = approved["key_results"][0]["id"]
    assert refused_for(api.owner.post(f"/v1/objectives/{oid}/check-ins", {
        "key_result_id": kr, "value": 3, "confidence": 0.5}), "note", "check_in")
    assert ok(api.auditor.get(f"/v1/objectives/{oid}"))["version"] == approved["version"]


def test_actions_the_policy_does_not_name_keep_their_reason_optional(strict_api):
    api = strict_api
    oid = ok(api.owner.post("/v1/objectives", {
        "cycle_id": open_cycle(api), "title": "T", "reviewer": "rita", "level": "team",
        "key_results": [metric_kr()], "reason": "asked"}), 201)["id"]
    assert ok(api.owner.patch(f"/v1/objectives/{oid}", {"title": "Renamed"}))["version"] == 3
    ok(api.owner.post(f"/v1/objectives/{oid}/submit", {"reason": "ready"}))
    assert ok(api.reviewer.post(f"/v1/objectives/{oid}/request-changes",
                                {"comment": "say more"}))["state"] == "draft"
