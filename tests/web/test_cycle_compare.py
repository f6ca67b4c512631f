"""The cycle page's compare mode in a real browser, on the shared demo server (it only reads):
two moments picked with the keyboard, the changed objective marked with what changed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser import assert_accessible, screenshot
from tests.web.test_pages import open_demo_cycle


def test_comparing_two_moments_marks_the_changed_objective_and_names_the_change(page: Page,
                                                                                 sign_in):
    sign_in(page, "cheng")
    open_demo_cycle(page)
    compare = page.get_by_role("group", name="Compare two moments")
    earlier = compare.get_by_role("slider", name="From step")
    earlier.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")  # the step before the last: dana's proposal is next
    expect(earlier).to_have_attribute("aria-valuetext", f"step {_steps(page) - 1} of "
                                                        f"{_steps(page)}")
    compare.get_by_role("button", name="Compare").click()
    view = page.locator("#replay-view")
    expect(page.locator("#compare-label")).to_contain_text("dana proposed an adjustment to")
    changed = view.locator(".node.changed")
    expect(changed).to_have_count(1)
    expect(changed.locator("a.title")).to_have_text("Make delivery predictable")
    expect(changed.locator(".change-tag")).to_have_text("changed: state Active → Adjusting")
    listed = page.get_by_role("region", name="What changed").get_by_role("listitem")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Make delivery predictable: state Active → Adjusting")
    assert_accessible(page)
    screenshot(page, "cycle-compare")


def test_the_whole_history_compared_lists_every_objective_as_added(page: Page, sign_in):
    sign_in(page, "cheng")
    open_demo_cycle(page)
    page.get_by_role("slider", name="From step").focus()
    page.keyboard.press("Home")  # the first step: the company objective drafted
    page.get_by_role("button", name="Compare").click()
    view = page.locator("#replay-view")
    expect(view.locator(".node.changed")).to_have_count(5)
    expect(view.locator(".node", has_text="Automate the release train")
           .locator(".change-tag")).to_have_text("changed: added (Closed)")
    expect(view.locator(".node", has_text="Become the platform of choice")
           .locator(".change-tag")).to_contain_text("state Draft → Active")


def _steps(page: Page) -> int:
    return int(page.get_by_role("slider", name="From step").get_attribute("max") or 0) + 1
