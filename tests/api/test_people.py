"""The people directory over HTTP: admins add and change people, everyone reads; owners and
reviewers must be known, active people."""

from __future__ import annotations

import pytest

from domain.person import Person
from tests.api.conftest import SECRET, serving
from tests.api.http import active, draft, metric_kr, ok, open_cycle
from workflows.settings import Settings


def test_an_admin_adds_a_person_everyone_reads_them_and_members_may_not_add(stored_api):
    api = stored_api
    added = ok(api.admin.post("/v1/people", {"subject": "frank@acme.example",
                                             "display_name": "Frank Li",
                                             "email": "frank@acme.example", "manager": "rita"}),
               201)
    assert added["active"] is True and added["to_reassign"] == []
    assert ok(api.auditor.get("/v1/people/frank@acme.example"))["manager"] == "rita"
    refused = api.owner.post("/v1/people", {"subject": "gus", "display_name": "Gus"})
    assert refused.status_code == 403
    again = api.admin.post("/v1/people", {"subject": "frank@acme.example", "display_name": "F"})
    assert again.status_code == 422 and "already in the people directory" in again.text
    assert api.owner.get("/v1/people/nobody").status_code == 404


@pytest.mark.parametrize(("caller", "role", "subject"), [
    ("bob", "member", "rita"), ("bob", "member", "bob"), ("audrey", "auditor", "rita"),
    ("ivan", "integrator", "rita")], ids=["member", "member-on-self", "auditor", "integrator"])
def test_only_an_admin_may_change_a_person_and_a_refusal_stores_nothing(api, caller, role,
                                                                        subject):
    ledger = api.client.app.state.ledger
    path = f"/v1/people/{subject}"
    before, head = api.admin.get(path), ledger.recorder.max_notification_id()
    history = ok(api.admin.get(f"{path}/history"))["items"]
    refused = api.caller(caller, role).patch(path, {"display_name": "Someone Else",
                                                    "manager": "ada", "active": False})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == {
        "type": "https://okr-ledger.example/problems/forbidden", "title": "Forbidden",
        "status": 403, "detail": f"role '{role}' may not do this; allowed roles: admin",
        "instance": path}
    assert ledger.recorder.max_notification_id() == head
    after = api.admin.get(path)
    assert ok(after) == ok(before) and after.headers["ETag"] == before.headers["ETag"]
    assert ok(api.admin.get(f"{path}/history"))["items"] == history


def test_an_unknown_reviewer_is_refused_naming_them(api):
    cycle_id = open_cycle(api)
    refused = api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Ship", "reviewer": "frank", "level": "team",
        "key_results": [metric_kr()]})
    assert refused.status_code == 422
    assert {"field": "reviewer", "message": "'frank' is not in the people directory; an admin "
                                           "adds people first"} in refused.json()["errors"]


def test_the_reviewer_defaults_to_the_owners_manager(api):
    cycle_id = open_cycle(api)
    ok(api.admin.patch("/v1/people/bob", {"manager": "rita"}))
    drafted = ok(api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Ship", "level": "team", "key_results": [metric_kr()]}),
        201)
    assert drafted["reviewer"] == "rita"
    ok(api.admin.patch("/v1/people/bob", {"manager": None}))
    refused = api.owner.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Ship", "level": "team", "key_results": [metric_kr()]})
    assert refused.status_code == 422 and "has no manager" in refused.text


def test_deactivating_a_person_lists_what_they_own_or_review_and_bars_new_objectives(
        stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    owned = active(api, cycle_id)
    reviewed = ok(api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "Hire", "owner": "sam", "reviewer": "bob",
        "level": "team", "key_results": [metric_kr()]}), 201)
    left = ok(api.admin.patch("/v1/people/bob", {"active": False, "reason": "left the company"},
                              params={"min_position": reviewed["position"]}))
    assert left["active"] is False
    assert {(item["objective_id"], item["relation"]) for item in left["to_reassign"]} == {
        (owned["id"], "owner"), (reviewed["id"], "reviewer")}
    assert ok(api.auditor.get("/v1/people/bob/objectives")) == left["to_reassign"]
    refused = api.admin.post("/v1/objectives", {
        "cycle_id": cycle_id, "title": "More", "owner": "bob", "reviewer": "rita",
        "level": "team", "key_results": [metric_kr()]})
    assert refused.status_code == 422 and "no longer active" in refused.text
    history = ok(api.auditor.get("/v1/people/bob/history"))["items"]
    assert [entry["type"] for entry in history][-1] == "Deactivated"
    assert history[-1]["actor"] == "ada" and history[-1]["data"]["reason"] == "left the company"


def test_each_entry_of_a_persons_history_has_its_position_in_the_log(stored_api):
    """As an objective's history does: each entry names where its event sits in the log (it
    was null for every person's entry), on every page."""
    api = stored_api
    added = ok(api.admin.post("/v1/people", {"subject": "frank", "display_name": "Frank"}), 201)
    edited = ok(api.admin.patch("/v1/people/frank", {"display_name": "Frank Li"}))
    left = ok(api.admin.patch("/v1/people/frank", {"active": False, "reason": "moved on"}))
    history = ok(api.auditor.get("/v1/people/frank/history"))["items"]
    positions = [entry["position"] for entry in history]
    assert [entry["type"] for entry in history] == ["Registered", "Edited", "Deactivated"]
    assert positions[1:] == [edited["position"], left["position"]]
    assert 0 < positions[0] <= added["position"]  # the directory's event may follow it
    recorder = api.client.app.state.ledger.recorder
    for entry in history:
        (stored,) = recorder.select_notifications(entry["position"], 1)
        assert (stored.id, stored.originator_id, stored.originator_version) == (
            entry["position"], Person.create_id("frank"), entry["version"])
    first = ok(api.auditor.get("/v1/people/frank/history?limit=2"))
    rest = ok(api.auditor.get(f"/v1/people/frank/history?cursor={first['next']}"))
    assert first["items"] + rest["items"] == history


def test_people_are_listed_a_page_at_a_time(api):
    first = api.admin.get("/v1/people?limit=2")
    page = ok(first)
    assert len(page["items"]) == 2 and 'rel="next"' in first.headers["Link"]
    rest = ok(api.admin.get(f"/v1/people?limit=1000&cursor={page['next']}"))
    everyone = [person["subject"] for person in page["items"] + rest["items"]]
    assert {"ada", "bob", "rita"} <= set(everyone) and len(set(everyone)) == len(everyone)
    assert rest["next"] is None
    ok(api.admin.patch("/v1/people/sam", {"active": False}))
    inactive = ok(api.admin.get("/v1/people?active=false"))["items"]
    assert [person["subject"] for person in inactive] == ["sam"]


def test_with_the_rule_off_anyone_may_be_named(tmp_path):
    settings = Settings(data_dir=tmp_path, secret=SECRET, require_known_people=False)
    with serving(settings) as api:
        drafted = draft(api, open_cycle(api), reviewer="frank")
        assert drafted["reviewer"] == "frank"


def test_a_person_named_beyond_ascii_is_found_where_location_points(api):
    """Found by schemathesis: the Location header could not hold such a subject (a 500)."""
    created = api.admin.post("/v1/people", {"subject": "ĳsbrand.ø@example.com",
                                            "display_name": "Ĳsbrand"})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/v1/people/%C4%B3sbrand.%C3%B8@example.com"
    assert api.admin.get(created.headers["location"]).json()["subject"] == \
        "ĳsbrand.ø@example.com"
