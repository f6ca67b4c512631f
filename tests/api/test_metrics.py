"""`GET /metrics`: what Prometheus scrapes, counted where things happen."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from devtools.network import free_port, wait_for
from tests.api.conftest import SECRET, serving
from tests.api.http import active, metric_kr, ok, open_cycle
from workflows.settings import Settings


def scraped(response: httpx.Response) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample by (name, sorted labels)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def test_requests_commands_and_events_are_counted_by_route_outcome_and_type(stored_api):
    api = stored_api
    objective = active(api, open_cycle(api))
    path = f"/v1/objectives/{objective['id']}/check-ins"
    kr = objective["key_results"][0]["id"]
    keyed = {"Idempotency-Key": "check-in-1"}
    for _ in range(2):
        ok(api.owner.post(path, {"key_result_id": kr, "value": 5, "confidence": 0.5},
                          headers=keyed))
    assert api.owner.post(path, {"key_result_id": kr, "confidence": 2}).status_code == 422
    assert api.stranger.post(f"/v1/objectives/{objective['id']}/approve").status_code == 409

    samples = scraped(api.admin.get("/metrics"))
    route = ("route", "/v1/objectives/{objective_id}/check-ins")
    assert samples[("okr_http_requests_total", (("method", "POST"), route,
                                                ("status", "200")))] == 2
    assert samples[("okr_http_request_duration_seconds_count",
                    (("method", "POST"), route))] == 3
    assert samples[("okr_commands_total", (("command", "check_in"), ("outcome", "ok")))] == 1
    assert samples[("okr_commands_total", (("command", "check_in"),
                                           ("outcome", "replayed")))] == 1
    assert samples[("okr_commands_total", (("command", "check_in"),
                                           ("outcome", "invalid")))] == 1
    assert samples[("okr_commands_total", (("command", "approve"),
                                           ("outcome", "not_allowed")))] == 1
    assert samples[("okr_events_appended_total", (("type", "Objective.CheckedIn"),))] == 1
    assert samples[("okr_events_appended_total", (("type", "Objective.Drafted"),))] == 1
    assert not any(name == "okr_http_requests_total" and objective["id"] in str(labels)
                   for name, labels in samples)


def test_view_positions_and_lags_are_those_readyz_reports(api):
    cycle_id = open_cycle(api)
    created = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Win", "owner": "ceo", "reviewer": "ada",
        "level": "company", "key_results": [metric_kr()]}), 201)
    ok(api.admin.get(f"/v1/objectives?min_position={created['position']}"))
    wait_for(lambda: all(part["lag"] == 0 for part in api.client.get("/readyz").json()["parts"]
                         if part["kind"] == "view"), 10, "every view to catch up")
    samples = scraped(api.admin.get("/metrics"))
    head = samples[("okr_log_position", ())]
    assert head >= created["position"]
    assert samples[("okr_ready", ())] == 1
    for view in ("tree", "audit", "check_ins"):
        assert samples[("okr_view_position", (("view", view),))] == head
        assert samples[("okr_view_lag_events", (("view", view),))] == 0


def test_metrics_are_admin_only_by_default(api):
    assert api.client.get("/metrics").status_code == 401
    assert api.owner.get("/metrics").status_code == 403
    assert api.admin.get("/metrics").status_code == 200


def test_open_metrics_need_no_token(tmp_path):
    with serving(Settings(data_dir=tmp_path, secret=SECRET, metrics_access="open")) as api:
        assert "okr_ready 1.0" in api.client.get("/metrics").text


def test_the_private_metrics_port_serves_the_same_registry_without_a_token(tmp_path):
    port = free_port()
    with serving(Settings(data_dir=tmp_path, secret=SECRET, metrics_port=port)) as api:
        open_cycle(api)
        samples = scraped(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5))
        assert samples[("okr_commands_total", (("command", "open_cycle"),
                                               ("outcome", "ok")))] == 1


def test_the_sealer_and_the_integrity_alarm_are_measured(api):
    open_cycle(api)
    checkpoint = ok(api.admin.post("/v1/audit/checkpoints",
                                   headers={"Accept": "application/json"}))
    samples: dict = {}

    def measured() -> bool:
        samples.update(scraped(api.admin.get("/metrics")))
        return samples.get(("okr_sealer_lag_events", ())) == 0 and \
            ("okr_integrity_verified_tree_size", ()) in samples
    wait_for(measured, 10, "the sealer to catch up and the first integrity check")
    assert samples[("okr_sealer_position", ())] == samples[("okr_log_position", ())]
    assert samples[("okr_sealer_tree_size", ())] == checkpoint["tree_size"]
    assert samples[("okr_checkpoint_tree_size", ())] == checkpoint["tree_size"]
    assert samples[("okr_integrity_alarm", ())] == 0
    assert samples[("okr_integrity_verified_tree_size", ())] <= checkpoint["tree_size"]
