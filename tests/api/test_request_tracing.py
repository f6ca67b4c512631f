"""Request ids: accepted or made, echoed, logged, and recorded in every event a request wrote."""

from __future__ import annotations

import io
import json
import logging

from api.logs import configure_logging
from api.request_context import parse_traceparent
from tests.api.http import active, ok, open_cycle
from tests.conftest import OWNER
from workflows.event_metadata import metadata_of
from workflows.settings import Settings

TRACE_ID, PARENT_ID = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def json_lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_request_id_is_made_when_none_is_sent_and_a_given_one_is_echoed(api):
    made = api.client.get("/livez").headers["X-Request-ID"]
    assert len(made) == 32 and made != api.client.get("/livez").headers["X-Request-ID"]
    given = api.client.get("/livez", headers={"X-Request-ID": "lb-7f3a:42"})
    assert given.headers["X-Request-ID"] == "lb-7f3a:42"


def test_a_request_id_that_cannot_be_kept_is_replaced(api):
    for unfit in ("x" * 129, "has space", "naïve"):
        answer = api.client.get("/livez", headers={"X-Request-ID": unfit.encode()})
        assert answer.headers["X-Request-ID"] not in (unfit, "")


def test_every_event_a_request_wrote_records_its_request_id(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    drafted = api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Ship", "reviewer": "rita", "level": "team",
        "key_results": [{"title": "Releases", "kind": "metric", "start": 0, "target": 4},
                        {"title": "Docs", "kind": "milestone"}]},
        headers={"X-Request-ID": "draft-req-1", "traceparent": TRACEPARENT})
    history = ok(api.owner.get(f"/v1/objectives/{ok(drafted, 201)['id']}/history"))["items"]
    assert [entry["type"] for entry in history] == ["Drafted", "KeyResultAdded",
                                                    "KeyResultAdded"]
    assert {entry["request_id"] for entry in history} == {"draft-req-1"}
    assert all("metadata" not in entry["data"] for entry in history)
    events = ok(api.integrator.get("/v1/events?limit=100"))["events"]
    assert all("metadata" not in event["data"] for event in events)


def test_every_people_event_a_request_wrote_records_its_request_id(stored_api):
    api = stored_api
    ledger = api.client.app.state.ledger
    ok(api.admin.post("/v1/people", {"subject": "frank", "display_name": "Frank"},
                      headers={"X-Request-ID": "people-req-1"}), 201)
    ok(api.admin.patch("/v1/people/frank", {"manager": "rita"},
                       headers={"X-Request-ID": "people-req-2"}))
    ok(api.admin.patch("/v1/people/frank", {"active": False, "reason": "moved on"},
                       headers={"X-Request-ID": "people-req-3"}))
    history = ok(api.auditor.get("/v1/people/frank/history"))["items"]
    assert [(entry["type"], entry["request_id"]) for entry in history] == [
        ("Registered", "people-req-1"), ("Edited", "people-req-2"),
        ("Deactivated", "people-req-3")]
    stored = list(ledger.events.get(ledger.person("frank").id))
    assert [metadata_of(event)["request_id"] for event in stored] == [
        "people-req-1", "people-req-2", "people-req-3"]


def test_a_valid_traceparent_records_its_trace_id_in_the_metadata_of_the_events_written(api):
    """Stored with the event, beside the request id; no API answer shows it (the history
    shows the request id, which the access log line ties to the trace id)."""
    ledger = api.client.app.state.ledger
    cycle_id = open_cycle(api)
    traced, untraced = (ok(api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": title, "reviewer": "rita", "level": "team",
        "key_results": [{"title": "Releases", "kind": "metric", "start": 0, "target": 4}]},
        headers={"X-Request-ID": f"req-{title}", "traceparent": traceparent}), 201)
        for title, traceparent in (("Traced", TRACEPARENT),
                                   ("Untraced", f"00-{'0' * 32}-{PARENT_ID}-01")))
    recorded = {objective["title"]: [metadata_of(event) for event in ledger.events.get(
        ledger.objective(objective["id"]).id)] for objective in (traced, untraced)}
    assert [(meta["request_id"], meta["trace_id"]) for meta in recorded["Traced"]] == [
        ("req-Traced", TRACE_ID)] * 2
    assert [meta["request_id"] for meta in recorded["Untraced"]] == ["req-Untraced"] * 2
    assert not any("trace_id" in meta for meta in recorded["Untraced"])
    history = ok(api.owner.get(f"/v1/objectives/{traced['id']}/history"))["items"]
    assert TRACE_ID not in str(history)


def test_events_written_outside_a_request_record_no_request_id(api):
    ledger = api.client.app.state.ledger
    objective = active(api, open_cycle(api))
    ledger.cancel(OWNER, objective["id"], "moot")
    history = ok(api.owner.get(f"/v1/objectives/{objective['id']}/history"))["items"]
    assert history[-1]["type"] == "Cancelled" and history[-1]["request_id"] is None
    assert history[0]["request_id"] is not None


def test_each_request_leaves_one_json_access_line_naming_who_asked(api, logged):
    api.owner.get("/v1/cycles", headers={"X-Request-ID": "list-1", "traceparent": TRACEPARENT})
    access = [line for line in json_lines(logged) if line["logger"] == "okr.access"]
    assert len(access) == 1
    line = access[0]
    assert {key: line[key] for key in ("level", "request_id", "subject", "role", "method",
                                       "route", "status", "trace_id")} == {
        "level": "INFO", "request_id": "list-1", "subject": "bob", "role": "member",
        "method": "GET", "route": "/v1/cycles", "status": 200, "trace_id": TRACE_ID}
    assert line["duration_ms"] > 0 and line["time"].endswith("+00:00")


def test_probes_leave_no_access_line_but_are_counted(api, logged):
    for probe in ("/livez", "/healthz", "/readyz"):
        answer = api.client.get(probe, headers={"X-Request-ID": f"probe{probe}"})
        assert answer.status_code == 200 and answer.headers["X-Request-ID"] == f"probe{probe}"
    api.owner.get("/v1/cycles")
    access = [line["route"] for line in json_lines(logged) if line["logger"] == "okr.access"]
    assert access == ["/v1/cycles"]
    metrics = api.admin.get("/metrics").text
    for probe in ("/livez", "/healthz", "/readyz"):
        assert (f'okr_http_requests_total{{method="GET",route="{probe}",status="200"}} 1.0'
                in metrics)


def test_an_unexpected_error_is_logged_with_its_traceback_and_answered_500(api, logged):
    def broken() -> None:
        raise RuntimeError("the disk is on fire")
    api.client.app.add_api_route("/broken", broken)
    answer = api.client.get("/broken", headers={"X-Request-ID": "boom-1"})
    assert answer.status_code == 500
    assert answer.headers["X-Request-ID"] == "boom-1"
    assert answer.headers["content-type"] == "application/problem+json"
    assert "the disk is on fire" not in answer.text
    errors = [line for line in json_lines(logged) if line["level"] == "ERROR"]
    assert len(errors) == 1 and errors[0]["request_id"] == "boom-1"
    assert "RuntimeError: the disk is on fire" in errors[0]["traceback"]
    access = [line for line in json_lines(logged) if line["logger"] == "okr.access"]
    assert access[-1]["status"] == 500 and access[-1]["route"] == "/broken"


def test_logs_are_plain_text_on_a_terminal():
    out = Terminal()
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        configure_logging(Settings(), out)
        logging.getLogger("okr.test").warning("plain words")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
    assert out.getvalue().rstrip().endswith("WARNING okr.test [-] plain words")


def test_a_traceparent_is_read_only_when_valid():
    assert parse_traceparent(TRACEPARENT) == (TRACE_ID, PARENT_ID)
    assert parse_traceparent(f"01-{TRACE_ID}-{PARENT_ID}-01-future") == (TRACE_ID, PARENT_ID)
    for invalid in (None, "", f"ff-{TRACE_ID}-{PARENT_ID}-01", f"00-{'0' * 32}-{PARENT_ID}-01",
                    f"00-{TRACE_ID}-{'0' * 16}-01", f"00-{TRACE_ID.upper()}-{PARENT_ID}-01",
                    f"00-{TRACE_ID}-{PARENT_ID}-01-extra"):
        assert parse_traceparent(invalid) is None
