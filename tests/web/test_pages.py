"""The web app in a real browser: sign-in, Home, the cycle's tree and its replay, /docs."""

from __future__ import annotations

import re
from itertools import pairwise

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import assert_accessible, screenshot
from tests.web.conftest import WebServer


def test_opening_the_app_signed_out_leads_to_the_sign_in_page(page: Page, web_server):
    page.goto("/")
    expect(page).to_have_url(f"{web_server.base}/sign-in")
    expect(page.get_by_label("Token")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sign-in")


def test_a_printed_link_signs_the_person_in_and_never_shows_the_token(page: Page, sign_in,
                                                                      web_server: WebServer):
    assert set(web_server.links) == {"Ada Admin", "Cheng Wu", "Dana Reyes", "Bob Osei",
                                     "Erin Novak"}
    assert any("Bob Osei (member): " in line for line in web_server.output)
    sign_in(page, "bob")
    assert "token" not in page.url
    expect(page.get_by_text("Bob Osei")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "okr_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    token = web_server.links["Bob Osei"].split("#token=")[1]
    assert token not in (web_server.data_dir / "server.log").read_text()


def test_home_lists_my_objectives_and_what_waits_for_me(page: Page, sign_in):
    sign_in(page, "bob")
    mine = page.get_by_role("region", name=re.compile("My objectives"))
    row = mine.get_by_role("row", name=re.compile("Ship faster with fewer incidents"))
    expect(row.get_by_text("Active")).to_be_visible()
    expect(row.get_by_role("progressbar")).to_be_visible()
    waiting = page.get_by_role("region", name="To review").get_by_role("listitem")
    expect(waiting).to_have_count(1)  # the demo leaves erin's objective for bob to approve
    expect(waiting.get_by_role("link")).to_have_text("Halve the flaky test failures")
    expect(waiting).to_contain_text("to approve, from erin")
    assert_accessible(page)
    screenshot(page, "home")


def test_the_demo_tree_renders_with_state_badges_and_progress_bars(page: Page, sign_in):
    sign_in(page, "dana")
    open_demo_cycle(page)
    tree = page.locator("#replay-view")
    for title in ("Become the platform of choice", "Make delivery predictable",
                  "Ship faster with fewer incidents", "Automate the release train"):
        expect(tree.locator("a.title", has_text=title)).to_be_visible()
    expect(tree.get_by_role("progressbar")).to_have_count(5)
    expect(tree.locator("#node-" + _id(page, "Automate the release train"))).to_contain_text(
        "Closed")
    expect(tree.get_by_text(re.compile("supports"))).to_contain_text("Make delivery predictable")
    assert_accessible(page)
    screenshot(page, "cycle")


def test_the_replay_slider_shows_the_tree_as_it_was(page: Page, sign_in):
    sign_in(page, "dana")
    open_demo_cycle(page)
    slider = page.get_by_role("slider", name="Replay the cycle's history")
    tree = page.locator("#replay-view")
    expect(tree.locator("a.title", has_text="Automate the release train")).to_be_visible()
    slider.focus()
    with page.expect_response(re.compile(r"/replay\?step=0$")):  # waits longer than expect
        page.keyboard.press("Home")  # the first step: only the company objective, drafted
    expect(page.locator("#moment-label")).to_contain_text("cheng drafted")
    expect(tree.locator("a.title", has_text="Automate the release train")).to_have_count(0)
    expect(tree.get_by_text("Draft", exact=True)).to_be_visible()
    screenshot(page, "cycle-replay")
    with page.expect_response(re.compile(r"/replay\?step=\d+$")):
        page.keyboard.press("End")
    expect(tree.locator("a.title", has_text="Automate the release train")).to_be_visible()
    expect(page.locator("#moment-label")).to_contain_text("Now")


def test_the_demo_check_ins_stand_weeks_apart_on_the_chart(page: Page, sign_in):
    sign_in(page, "bob")
    page.get_by_role("link", name="Ship faster with fewer incidents").click()
    chart = page.get_by_role("img", name=re.compile("Check-ins of .Keep average delivery time"))
    points = chart.locator(".check-in")
    expect(points).to_have_count(3)
    xs = [float(points.nth(n).get_attribute("cx") or 0) for n in range(3)]
    assert all(later - earlier > 20 for earlier, later in pairwise(xs)), xs  # weeks apart
    screenshot(page, "objective-demo")


def test_sign_out_without_the_csrf_token_is_refused(web_server: WebServer, page: Page, sign_in):
    sign_in(page, "bob")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    forged = httpx.post(f"{web_server.base}/sign-out", cookies=cookies,
                        data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    page.reload()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()  # still signed in
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_docs_render_swagger_ui_with_no_network(page: Page):
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OKR Ledger")
    assert page.context.blocked == []  # type: ignore[attr-defined]
    screenshot(page, "docs")


def open_demo_cycle(page: Page) -> None:
    """Follow the nav to the demo cycle and wait for the page's load event: htmx sets up the
    slider at DOMContentLoaded, and a key pressed before that (a loaded machine) is lost."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="2026-Q4").click()


def _id(page: Page, title: str) -> str:
    href = page.locator("a.title", has_text=title).get_attribute("href") or ""
    return href.rsplit("/", 1)[1]
