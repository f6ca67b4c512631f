"""`/readyz` and the admin status: whether the store answers and the views keep up, and if
not, what is wrong: on a stopped follower, the dead letter that stopped it."""

from tests.api.conftest import serve
from tests.api.http import active, ok, open_cycle
from tests.poison import spoil_event
from tests.projection_helpers import comes_true


def test_a_healthy_server_is_ready_and_says_where_its_views_are(api):
    objective = active(api, open_cycle(api))
    response = api.client.get("/readyz")
    assert response.status_code == 200, response.text
    ready = response.json()
    assert ready["status"] == "ready" and ready["store"] == "reachable"
    assert set(ready["views"]) == {"tree", "audit", "check_ins", "decisions"}
    assert comes_true(lambda: api.client.get("/readyz").json()["views"]["tree"]["lag"] == 0)
    status = ok(api.admin.get("/v1/admin/status"))
    assert status["state"] == "following" and status["dead_letters"] == []
    assert status["log_position"] >= objective["position"]
    assert api.owner.get("/v1/admin/status").status_code == 403


def test_views_stopped_on_an_event_make_the_server_not_ready(api_settings):
    settings = api_settings.model_copy(update={"view_failure_retries": 2})
    for api in serve(settings):
        objective = active(api, open_cycle(api))
        ok(api.admin.get(f"/v1/objectives?min_position={objective['position']}"))
        kr = objective["key_results"][0]["id"]
        checked = ok(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                                    {"key_result_id": kr, "value": 5, "confidence": 0.5}))
    spoil_event(settings.persistence_env(), checked["position"])
    for view_file in settings.data_dir.glob("okr.*.sqlite3"):
        view_file.unlink()  # the views start over, as after an upgrade, and meet the event

    for api in serve(settings):
        client = api.client
        assert comes_true(lambda: client.get("/readyz").status_code == 503)  # noqa: B023
        body = client.get("/readyz").json()
        assert body["status"] == "not ready"
        for live in ("/healthz", "/livez"):  # the process answers: a liveness probe must not
            answer = client.get(live)         # restart it over a bad event in the log
            assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
        assert body["views"]["tree"]["state"] == "stopped"
        assert any(f"position {checked['position']}" in problem for problem in body["problems"])
        status = ok(api.admin.get("/v1/admin/status"))
        assert [letter["position"] for letter in status["dead_letters"]] == [checked["position"]]
        waited = api.owner.get(f"/v1/objectives?min_position={checked['position']}")
        assert waited.status_code == 503
