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
from playwright.sync_api import Browser, Locator, Page, expect

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


def drafted(server: WebServer, title: str, owner: str = "bob") -> Made:
    """An objective of `owner`'s (five at most each: the method's limit), reviewed by dana."""
    with api(server, owner) as client:
        cycle_id = client.get("/v1/cycles").json()[0]["id"]
        objective = call(client, "/v1/objectives", {
            "cycle_id": cycle_id, "title": title, "level": "team", "reviewer": "dana",
            "key_results": [{"title": "Tickets closed", "kind": "metric", "start": 0,
                             "target": 100, "unit": "tickets"}]})
        call(client, f"/v1/objectives/{objective['id']}/submit")
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
    expect(page.locator(".diff-table")).to_be_visible()  # loaded after the page
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
    page.get_by_role("form", name="Check in").get_by_label("Value").fill("50")
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
    page.get_by_role("form", name="Check in").get_by_label("Value").fill("lots")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check in").click()
    assert answer.value.status == 422
    expect(page.locator("#error-value")).to_contain_text("must be a number")
    expect(page.get_by_role("form", name="Check in").get_by_label("Value")).to_have_attribute(
        "aria-invalid", "true")
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
                         ("cancel", {"reason": "forged"}),
                         ("propose_adjustment", {f"kr.{retargeted.key_result_id}.target": "1",
                                                 "reason": "forged"}),
                         ("correct_check_in", {"check_in_id": "any", "value": "1",
                                               "reason": "forged"}),
                         ("hand_over_review", {"reviewer": "erin", "reason": "forged"})):
        forged = page.request.post(f"/objectives/{retargeted.objective_id}/actions/{action}",
                                   form={"csrf_token": csrf, "version": str(before), **form})
        assert forged.status == 403, action
    with api(server, "bob") as bob:
        assert bob.get(f"/v1/objectives/{retargeted.objective_id}").json()["version"] == before


def test_the_comparison_names_the_command_behind_each_field(page, signed_in, retargeted):
    signed_in(page, "erin")
    page.goto(f"/objectives/{retargeted.objective_id}")
    target = page.locator(".diff-table tbody tr").filter(
        has=page.get_by_role("rowheader", name="“Tickets closed”: target"))
    expect(target.locator("td.old")).to_have_text("100")
    expect(target.locator("td.new")).to_have_text("80")
    cited = target.locator("td.changed-by")
    expect(cited).to_contain_text("Dana Reyes (reviewer)")
    expect(cited).to_contain_text("Adjustment approved")
    expect(cited).to_contain_text("agreed in the stand-up")
    current = page.locator(".diff-table tbody tr").filter(
        has=page.get_by_role("rowheader", name="“Tickets closed”: current"))
    expect(current.locator("td.changed-by")).to_contain_text("Bob Osei (owner)")
    expect(current.locator("td.changed-by summary")).to_have_text(
        re.compile(r"and \d+ earlier commands"))
    page.goto(f"/objectives/{retargeted.objective_id}/diff?from=7&to=8")  # without JavaScript
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Changes from version 7 to version 8")
    expect(page.locator(".diff-table")).to_contain_text("Adjustment approved")
    expect(page.locator(".diff-table")).not_to_contain_text("Checked in")  # outside 7 to 8


def running(server: WebServer, title: str, owner: str) -> Made:
    """`owner`'s, approved by dana, checked in once (at 450: a typo for 45), the views caught
    up (the correction form lists the check-ins they hold)."""
    made = drafted(server, title, owner)
    path = f"/v1/objectives/{made.objective_id}"
    with api(server, owner) as client, api(server, "dana") as dana:
        call(dana, f"{path}/approve")
        checked = call(client, f"{path}/check-ins", {"key_result_id": made.key_result_id,
                                                     "value": 450, "confidence": 0.6})
        caught_up = client.get(f"{path}/key-results/{made.key_result_id}/check-ins",
                            params={"min_position": checked["position"]})
        assert caught_up.status_code == 200, caught_up.text
    return made


def state_of(server: WebServer, made: Made) -> dict[str, Any]:
    with api(server, "ada") as ada:
        return dict(ada.get(f"/v1/objectives/{made.objective_id}").json())


def posted(page: Page, button: str) -> int:
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button, exact=True).click()
    return answer.value.status


def folded_form(page: Page, signed_in: Callable[[Page, str], None], server: WebServer,
                owner: str, title: str, name: str) -> tuple[Made, Locator]:
    """`owner`'s new running objective (`running`) on its page, its form `name` unfolded."""
    made = running(server, title, owner)
    signed_in(page, owner)
    page.goto(f"/objectives/{made.objective_id}")
    page.get_by_text(name, exact=True).click()
    return made, page.get_by_role("form", name=name)


def test_the_owner_proposes_an_adjustment(page, signed_in, server):
    made, form = folded_form(page, signed_in, server, "cheng", "Shorten the release cycle",
                             "Propose an adjustment")
    kr = form.get_by_role("group", name=re.compile("Key result .Tickets closed"))
    kr.get_by_label("Target").fill("60")
    before = state_of(server, made)["version"]
    assert posted(page, "Propose the adjustment") == 422  # no reason given
    reason = page.get_by_role("form", name="Propose an adjustment").get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Reason")
    assert state_of(server, made)["version"] == before
    assert_accessible(page)
    screenshot(page, "objective-adjust")
    reason.fill("half the releases moved to the platform team")
    assert posted(page, "Propose the adjustment") == 303  # written: back to the page
    expect(page.get_by_role("status")).to_contain_text("Adjustment proposed")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adjusting")
    adjustment_id = state_of(server, made)["pending_adjustment_id"]
    with api(server, "cheng") as cheng:
        pending = cheng.get(f"/v1/objectives/{made.objective_id}/adjustments/{adjustment_id}"
                            ).json()
    assert pending["reason"] == "half the releases moved to the platform team"
    assert [(change["op"], change["after"]) for change in pending["changes"]] == [
        ("retarget_key_result", {"target": 60})]


def test_the_owner_corrects_a_check_in(page, signed_in, server):
    made, form = folded_form(page, signed_in, server, "erin", "Answer the phone faster",
                             "Correct a check-in")
    expect(form.get_by_label("Check-in")).to_contain_text("Tickets closed: 450")
    form.get_by_label("Corrected value").fill("45")
    assert posted(page, "Correct the check-in") == 422  # no reason given
    expect(page.locator('[id="error-correct_check_in-reason"]')).to_contain_text("required")
    assert_accessible(page)
    page.get_by_role("form", name="Correct a check-in").get_by_label("Reason").fill(
        "typed 450 for 45")
    assert posted(page, "Correct the check-in") == 303  # written: back to the page
    expect(page.get_by_role("status")).to_contain_text("Check-in corrected")
    [kr] = state_of(server, made)["key_results"]
    assert kr["current"] == 45


def test_the_reviewer_hands_the_review_over(page, signed_in, server):
    made = running(server, "Ship the new onboarding", "cheng")
    signed_in(page, "dana")
    page.goto(f"/objectives/{made.objective_id}")
    form = page.get_by_role("form", name="Hand the review over")
    form.get_by_label("New reviewer").fill("cheng")
    form.get_by_label("Reason").fill("I am away in December")
    assert posted(page, "Hand over") == 422  # cheng owns it
    expect(page.locator('[id="error-hand_over_review-reviewer"]')).to_contain_text(
        "someone other than the owner")
    assert_accessible(page)
    assert state_of(server, made)["reviewer"] == "dana"
    page.get_by_role("form", name="Hand the review over").get_by_label("New reviewer").fill(
        "bob")
    assert posted(page, "Hand over") == 303  # written: back to the page
    expect(page.get_by_role("status")).to_contain_text("Review handed over")
    expect(page.locator(".facts")).to_contain_text("Bob Osei")
    assert state_of(server, made)["reviewer"] == "bob"


def forms_for(page: Page, action: str) -> Locator:
    """The page's form for `action`, shown or folded away."""
    return page.locator(f'form[action$="/actions/{action}"]')


def test_each_side_sees_only_its_own_change_forms(page, browser, signed_in, server):
    made = running(server, "Halve the build time", "erin")
    path = f"/objectives/{made.objective_id}"
    signed_in(page, "erin")
    page.goto(path)
    expect(forms_for(page, "hand_over_review")).to_have_count(0)
    expect(forms_for(page, "propose_adjustment")).to_have_count(1)
    context = offline_context(browser, server.base)
    try:
        reviewer = context.new_page()
        signed_in(reviewer, "dana")
        reviewer.goto(path)
        expect(forms_for(reviewer, "hand_over_review")).to_have_count(1)
        for action in ("propose_adjustment", "correct_check_in"):
            expect(forms_for(reviewer, action)).to_have_count(0)
        csrf = reviewer.locator("input[name=csrf_token]").first.input_value()
        before = state_of(server, made)
        forged = reviewer.request.post(f"{path}/actions/propose_adjustment", form={
            "csrf_token": csrf, "version": str(before["version"]), "reason": "forged",
            f"kr.{made.key_result_id}.target": "1"}, max_redirects=0)
        assert forged.status == 403
        assert state_of(server, made) == before
    finally:
        context.close()


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
