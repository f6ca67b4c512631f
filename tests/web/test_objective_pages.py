"""The objective and audit pages in a real browser, on a demo server of their own (these tests
write: the shared one keeps the demo as the cycle page's tests expect it).

Objectives are made through the HTTP API with the tokens of the printed sign-in links: bob owns
them, dana (his manager) reviews them, erin has no part in them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import assert_accessible, offline_context, screenshot
from tests.web.conftest import NAMES, WebServer, demo_server


@dataclass(frozen=True)
class Made:
    objective_id: str
    key_result_id: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    with demo_server(tmp_path_factory.mktemp("pages")) as found:
        yield found


def api(server: WebServer, subject: str) -> httpx.Client:
    token = server.links[NAMES[subject]].split("#token=")[1]
    return httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {token}"},
                        timeout=10)


def call(client: httpx.Client, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = client.post(path, json=body or {})
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


def drafted(server: WebServer, title: str) -> Made:
    with api(server, "bob") as bob:
        cycle_id = bob.get("/v1/cycles").json()[0]["id"]
        objective = call(bob, "/v1/objectives", {
            "cycle_id": cycle_id, "title": title, "level": "team", "reviewer": "dana",
            "key_results": [{"title": "Tickets closed", "kind": "metric", "start": 0,
                             "target": 100, "unit": "tickets"}]})
        call(bob, f"/v1/objectives/{objective['id']}/submit")
    return Made(objective["id"], objective["key_results"][0]["id"])


@pytest.fixture(scope="module")
def retargeted(server: WebServer) -> Made:
    """Approved; checked in at 10 and 20; retargeted from 100 to 80; checked in at 30."""
    made = drafted(server, "Close the support backlog")
    path = f"/v1/objectives/{made.objective_id}"
    with api(server, "bob") as bob, api(server, "dana") as dana:
        call(dana, f"{path}/approve")
        for value in (10, 20):
            call(bob, f"{path}/check-ins", {"key_result_id": made.key_result_id,
                                            "value": value, "confidence": 0.6})
        adjustment = call(bob, f"{path}/adjustments", {
            "reason": "half the queue moved", "changes": [{
                "op": "retarget_key_result", "key_result_id": made.key_result_id,
                "target": 80}]})
        call(dana, f"{path}/adjustments/{adjustment['adjustment_id']}/approve",
             {"comment": "agreed in the stand-up"})
        call(bob, f"{path}/check-ins", {"key_result_id": made.key_result_id, "value": 30,
                                        "confidence": 0.7, "note": "on track"})
    return made


@pytest.fixture
def page(browser: Browser, server: WebServer) -> Iterator[Page]:
    context = offline_context(browser, server.base)
    yield context.new_page()
    assert context.blocked == []  # type: ignore[attr-defined]
    context.close()


@pytest.fixture
def signed_in(server: WebServer) -> Callable[[Page, str], None]:
    def follow_link(page: Page, subject: str) -> None:
        page.goto(server.links[NAMES[subject]])
        page.get_by_role("heading", name="Home").wait_for()
    return follow_link


def test_the_chart_has_a_point_per_check_in_and_marks_the_retarget(page, signed_in,
                                                                    retargeted):
    signed_in(page, "bob")
    page.goto(f"/objectives/{retargeted.objective_id}")
    chart = page.get_by_role("img", name=re.compile("Check-ins of .Tickets closed."))
    expect(chart.locator(".check-in")).to_have_count(3)
    expect(chart.locator(".retarget")).to_have_count(1)
    expect(chart.locator(".retarget")).to_have_attribute("data-before", "100")
    expect(chart.locator(".retarget")).to_have_attribute("data-after", "80")
    row = page.locator(".kr-table").get_by_role("row", name=re.compile("Tickets closed"))
    expect(row).to_contain_text("100 tickets")
    expect(row).to_contain_text("80 tickets")
    timeline = page.locator("#timeline-entries .timeline-entry")
    expect(timeline).to_have_count(8)
    expect(timeline.filter(has_text="agreed in the stand-up")).to_contain_text("(reviewer)")
    assert_accessible(page)
    screenshot(page, "objective")


def test_the_version_slider_shows_the_older_target(page, signed_in, retargeted):
    signed_in(page, "dana")
    page.goto(f"/objectives/{retargeted.objective_id}")
    slider = page.get_by_role("slider", name="Version after command")
    target = page.locator('#version-view [data-field="target"]')
    slider.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # after the proposal, before its approval
    expect(page.locator("#version-caption")).to_contain_text("command 6 of 8")
    expect(target).to_have_text("100 tickets")
    page.keyboard.press("ArrowRight")  # the approval retargets
    expect(page.locator("#version-caption")).to_contain_text("agreed in the stand-up")
    expect(target).to_contain_text("80 tickets")
    expect(target.locator(".changed-tag")).to_have_text("changed")
    screenshot(page, "objective-versions")


def test_a_reviewer_approves_from_the_to_review_list(page, signed_in, server):
    made = drafted(server, "Answer every ticket within a day")
    signed_in(page, "dana")
    page.get_by_role("region", name="To review").get_by_role(
        "link", name="Answer every ticket within a day").click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    with api(server, "dana") as dana:
        assert dana.get(f"/v1/objectives/{made.objective_id}").json()["state"] == "active"


def test_a_stale_form_is_told_the_objective_changed(page, signed_in, server, retargeted):
    signed_in(page, "bob")
    page.goto(f"/objectives/{retargeted.objective_id}")
    with api(server, "bob") as bob:  # bob, in another tab, checks in meanwhile
        call(bob, f"/v1/objectives/{retargeted.objective_id}/check-ins",
             {"key_result_id": retargeted.key_result_id, "value": 35, "confidence": 0.7})
    page.get_by_label("Value").fill("50")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check in").click()
    assert answer.value.status == 409
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This objective changed since you opened it")
    page.get_by_role("link", name="Reload the objective").click()
    row = page.locator(".kr-table").get_by_role("row", name=re.compile("Tickets closed"))
    expect(row).to_contain_text("35 tickets")


def test_a_fault_is_shown_by_its_field(page, signed_in, retargeted):
    signed_in(page, "bob")
    page.goto(f"/objectives/{retargeted.objective_id}")
    page.get_by_label("Value").fill("lots")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check in").click()
    assert answer.value.status == 422
    expect(page.locator("#error-value")).to_contain_text("must be a number")
    expect(page.get_by_label("Value")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    assert_accessible(page)


def test_a_member_sees_no_action_and_a_forged_post_is_refused(page, signed_in, server,
                                                             retargeted):
    signed_in(page, "erin")
    page.goto(f"/objectives/{retargeted.objective_id}")
    expect(page.get_by_text("You may not change this objective now")).to_be_visible()
    expect(page.locator("main form[method=post]")).to_have_count(0)
    for name in ("Check in", "Approve", "Approve adjustment", "Finalize"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    csrf = page.locator("input[name=csrf_token]").first.input_value()
    with api(server, "bob") as bob:
        before = bob.get(f"/v1/objectives/{retargeted.objective_id}").json()["version"]
    for action, form in (("check_in", {"key_result_id": retargeted.key_result_id,
                                       "value": "99", "confidence": "1"}),
                         ("cancel", {"reason": "forged"})):
        forged = page.request.post(f"/objectives/{retargeted.objective_id}/actions/{action}",
                                   form={"csrf_token": csrf, "version": str(before), **form})
        assert forged.status == 403, action
    with api(server, "bob") as bob:
        assert bob.get(f"/v1/objectives/{retargeted.objective_id}").json()["version"] == before


def test_the_audit_filters_the_decision_log_and_downloads_it(page, signed_in, retargeted):
    signed_in(page, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
    page.get_by_label("Action").select_option("adjustment_approved")
    page.get_by_role("button", name="Filter").click()
    decisions = page.locator("#decisions tbody tr")
    expect(decisions.filter(has_text="Close the support backlog")).to_contain_text(
        "agreed in the stand-up")
    expect(decisions.filter(has_text="submitted")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the decision log (CSV)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("position,time,") and "adjustment_approved" in text
    assert "submitted" not in text
    assert_accessible(page)
    screenshot(page, "audit")
