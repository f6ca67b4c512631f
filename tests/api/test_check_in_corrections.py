"""Correcting a mistaken check-in, on SQLite and PostgreSQL: progress and the series follow
the corrected value; the original stays in the history, the series and the timeline; time
travel before the correction shows the original."""

from __future__ import annotations

from tests.api.http import Callers, active, metric_kr, ok, open_cycle


def typo(api: Callers) -> dict[str, str]:
    """An active objective whose owner typed 450 for 45, then checked in once more."""
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id, key_results=[metric_kr(title="Users", target=100)])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    wrong = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                              {"key_result_id": kr, "value": 450, "confidence": 0.9}))
    series = ok(api.owner.get(f"/v1/objectives/{oid}/key-results/{kr}/check-ins"
                              f"?min_position={wrong['position']}"))["items"]
    return {"objective": oid, "kr": kr, "check_in": series[-1]["check_in_id"],
            "before": wrong["modified_at"], "version": str(wrong["version"])}


def test_a_correction_changes_progress_and_keeps_the_original(stored_api):
    api = stored_api
    ids = typo(api)
    oid, kr = ids["objective"], ids["kr"]
    corrected = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins/{ids['check_in']}/correct",
                                  {"value": 45, "reason": "typed 450 for 45"}))
    assert corrected["key_results"][0]["current"] == 45
    assert corrected["key_results"][0]["progress"] == 0.45
    series = ok(api.auditor.get(f"/v1/objectives/{oid}/key-results/{kr}/check-ins"
                                f"?min_position={corrected['position']}"))["items"]
    point = series[-1]
    assert (point["value"], point["progress"], point["corrected"]) == (45, 0.45, True)
    assert point["original"]["value"] == 450 and point["original"]["progress"] == 4.5
    assert [(c["actor"], c["reason"], c["value"]) for c in point["corrections"]] == [
        ("bob", "typed 450 for 45", 45)]
    then = ok(api.auditor.get(f"/v1/objectives/{oid}?version={ids['version']}"))
    assert then["key_results"][0]["current"] == 450
    history = ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]
    assert [e["type"] for e in history[-2:]] == ["CheckedIn", "CheckInCorrected"]
    assert history[-2]["data"]["value"] == 450
    timeline = ok(api.auditor.get(f"/v1/objectives/{oid}/timeline"))["entries"]
    assert timeline[-1]["summary"].startswith("Check-in on 'Users' of ")
    assert timeline[-1]["summary"].endswith(" corrected: value from 450 to 45")
    assert timeline[-1]["reason"] == "typed 450 for 45"
    decisions = ok(api.auditor.get("/v1/audit/decisions?action=check_in_corrected"
                                   f"&min_position={corrected['position']}"))["decisions"]
    assert [(d["before"]["value"], d["after"]["value"], d["check_in_id"])
            for d in decisions] == [(450, 45, ids["check_in"])]


def test_correcting_an_earlier_check_in_leaves_the_current_value_to_the_latest(api):
    ids = typo(api)
    oid, kr = ids["objective"], ids["kr"]
    ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                      {"key_result_id": kr, "value": 50, "confidence": 0.8}))
    corrected = ok(api.admin.post(f"/v1/objectives/{oid}/check-ins/{ids['check_in']}/correct",
                                  {"value": 45, "reason": "typo", "confidence": 0.5}))
    assert corrected["key_results"][0]["current"] == 50
    assert corrected["key_results"][0]["confidence"] == 0.8


def test_who_may_correct_and_what_a_correction_needs(api):
    ids = typo(api)
    path = f"/v1/objectives/{ids['objective']}/check-ins/{ids['check_in']}/correct"
    assert api.reviewer.post(path, {"value": 45, "reason": "typo"}).status_code == 403
    assert api.auditor.post(path, {"value": 45, "reason": "typo"}).status_code == 403
    for body, name in (({"value": 45}, "reason"), ({"value": 45, "reason": " "}, "reason"),
                       ({"done": True, "reason": "typo"}, "done")):
        response = api.owner.post(path, body)
        assert response.status_code == 422 and name in response.text, response.text
    missing = api.owner.post(f"/v1/objectives/{ids['objective']}/check-ins/nope/correct",
                             {"value": 45, "reason": "typo"})
    assert missing.status_code == 404
    history = ok(api.owner.get(f"/v1/objectives/{ids['objective']}/history"))["items"]
    assert history[-1]["type"] == "CheckedIn", "a refused correction stores nothing"
