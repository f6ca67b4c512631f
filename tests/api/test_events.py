"""The event feed: CloudEvents in log order, with stable ids and a cursor."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import jsonschema

from api.tokens import issue_token
from stream.cloudevents import EVENT_TYPES
from tests.api.http import active, ok, open_cycle
from web.sessions import COOKIE, encode_session, new_session
from workflows.actors import Actor


def test_the_feed_pages_through_cloudevents_in_log_order(api):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id)
    page = ok(api.integrator.get("/v1/events?after=0&limit=3"))
    # opened, started, drafted, and the draft's key result: a page ends with a whole command
    assert [e["type"] for e in page["events"]][2:] == ["okr.objective.drafted",
                                                       "okr.objective.key_result_added"]
    first = page["events"][0]
    assert first["specversion"] == "1.0" and first["type"] == "okr.cycle.opened"
    assert first["subject"] == cycle_id and first["actor"] == "ada"
    assert first["source"] == "urn:okr-ledger:cycles"
    assert first["datacontenttype"] == "application/json"

    rest = ok(api.integrator.get(f"/v1/events?after={page['next_after']}"))
    events = page["events"] + rest["events"]
    positions = [e["position"] for e in events]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert events[-1]["type"] == "okr.objective.approved"
    assert events[-1]["subject"] == objective["id"]
    assert ok(api.integrator.get(f"/v1/events?after={rest['next_after']}")) == {
        "events": [], "next_after": rest["next_after"]}


def test_the_same_event_always_has_the_same_id(api):
    open_cycle(api)
    once = ok(api.integrator.get("/v1/events"))["events"]
    again = ok(api.auditor.get("/v1/events"))["events"]
    assert [e["id"] for e in once] == [e["id"] for e in again]
    assert len({e["id"] for e in once}) == len(once)


def test_bad_cursors_are_422(api):
    for query in ("after=-1", "after=x", "limit=0", "limit=100000", "after=" + "9" * 30):
        assert api.integrator.get(f"/v1/events?{query}").status_code == 422


def test_every_event_type_has_a_schema_that_its_events_satisfy(api):
    objective = active(api, open_cycle(api))
    kr = objective["key_results"][0]["id"]
    ok(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                      {"key_result_id": kr, "value": 5, "confidence": 0.5}))
    schemas = ok(api.owner.get("/v1/events/schemas"))
    assert set(schemas) == set(EVENT_TYPES)
    for event in ok(api.integrator.get("/v1/events"))["events"]:
        jsonschema.validate(event["data"], schemas[event["type"]])


def test_a_page_of_the_feed_never_ends_inside_a_command(api):
    """A draft made with three key results is one command: four events, one command id and
    one time; a page that reaches its first event carries all four."""
    cycle_id = open_cycle(api)
    drafted = ok(api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "T", "reviewer": "rita", "level": "team",
        "key_results": [{"title": t, "kind": "metric", "start": 0, "target": 1} for t in "abc"]}),
        201)
    every = ok(api.integrator.get("/v1/events?limit=1000"))["events"]
    first = next(e["position"] for e in every if e["subject"] == drafted["id"])
    page = ok(api.integrator.get(f"/v1/events?after={first - 1}&limit=1"))
    assert [e["type"].rsplit(".", 1)[1] for e in page["events"]] == [
        "drafted", "key_result_added", "key_result_added", "key_result_added"]
    assert len({(e["commandid"], e["time"]) for e in page["events"]}) == 1
    assert page["next_after"] >= page["events"][-1]["position"]


def test_each_event_points_at_the_schema_the_server_serves_for_its_type(api):
    open_cycle(api)
    events = ok(api.integrator.get("/v1/events"))["events"]
    for event in events:
        path = event["dataschema"].removeprefix("http://127.0.0.1:8000")
        assert path == f"/v1/events/schemas/{event['type']}"
        schema = ok(api.integrator.get(path))
        jsonschema.Draft202012Validator(schema).validate(event["data"])
    assert api.integrator.get("/v1/events/schemas/okr.nothing").status_code == 404


def read_to_its_end(api, **request) -> list[str]:
    """Every line of a stream the server ends (at its token's or session's expiry), which
    must come before the first keep-alive (15 s)."""
    lines = []
    with api.client.stream("GET", "/v1/events/stream", **request) as stream:
        assert stream.status_code == 200
        for line in stream.iter_lines():
            lines.append(line)
            assert line != ": keep-alive", "the stream outlived what it was opened with"
    return lines


def test_the_stream_ends_with_an_error_event_when_its_token_expires(api):
    open_cycle(api)
    # Three seconds, not one: a JWT's exp is whole seconds, so a one-second token issued late in
    # a second could expire before a loaded machine even opened the stream (a 401, seen once).
    expiring = {"Authorization": f"Bearer {issue_token(api.secret, 'ivan', 'integrator', 3)}"}
    lines = read_to_its_end(api, headers=expiring)
    assert lines[:2] == [": connected", "retry: 3000"]
    assert "event: okr.cycle.opened" in lines
    last_event = lines[lines.index("event: error"):]
    problem = json.loads(last_event[1].removeprefix("data: "))
    assert problem["title"] == "Token expired" and "fresh token" in problem["detail"]
    assert [line for line in last_event if line] == last_event[:2]


def session_cookie(api, name: str, role: str, seconds: float, secret: str = "") -> dict:
    """The web app's session cookie for `name` acting as `role`, expiring in `seconds`."""
    session = new_session(Actor(name, role), datetime.now(UTC) + timedelta(seconds=seconds))
    return {COOKIE: encode_session(secret or api.secret, session)}


def opened(api, cookies: dict, **headers: str):
    """Open the stream with cookies only (as a page's EventSource does) and read what it sends
    up to its first event; the status and those lines."""
    api.client.cookies.clear()
    with api.client.stream("GET", "/v1/events/stream", cookies=cookies,
                           headers=headers) as stream:
        lines = []
        for line in stream.iter_lines() if stream.status_code == 200 else ():
            lines.append(line)
            if line.startswith("data: "):
                break
        return stream.status_code, lines or [json.loads(stream.read())["detail"]]


def test_the_stream_takes_the_web_apps_session_cookie_for_the_feeds_roles(api):
    open_cycle(api)
    for role in ("auditor", "admin", "integrator"):
        status, lines = opened(api, session_cookie(api, "audrey", role, 600))
        assert status == 200, lines
        assert "event: okr.cycle.opened" in lines, role
    status, lines = opened(api, session_cookie(api, "bob", "member", 600))
    assert status == 403 and "role 'member'" in lines[0]


def test_a_forged_or_expired_session_cookie_is_a_401(api):
    forged = session_cookie(api, "audrey", "auditor", 600, secret="another-secret-" * 3)
    expired = session_cookie(api, "audrey", "auditor", -60)
    for cookies in (forged, expired, {COOKIE: "not-a-session"}):
        status, lines = opened(api, cookies)
        assert status == 401 and "sign in again" in lines[0]
    bearer_as_cookie = {COOKIE: issue_token(api.secret, "audrey", "auditor")}
    assert opened(api, bearer_as_cookie)[0] == 401, "a bearer token is no session"


def test_the_stream_ends_when_the_session_it_was_opened_with_expires(api):
    open_cycle(api)
    api.client.cookies.clear()
    cookies = session_cookie(api, "audrey", "auditor", 3)  # whole seconds: see the token test
    lines = read_to_its_end(api, cookies=cookies)
    assert "event: okr.cycle.opened" in lines
    problem = json.loads(lines[lines.index("event: error") + 1].removeprefix("data: "))
    assert problem["title"] == "Session expired" and "sign in again" in problem["detail"]


def test_a_last_event_id_that_is_no_position_is_a_400_problem(api):
    for given in ("abc", "-1", "1e3", "9" * 19, "1 2"):
        answer = api.integrator.get("/v1/events/stream", headers={"Last-Event-ID": given})
        assert answer.status_code == 400, given
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"][0]["field"] == "Last-Event-ID"
