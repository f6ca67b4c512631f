"""What a new user of `make run` can do from the printed links: the demo leaves an objective in
the team lead's inbox, and approving it from there works. On a demo server of its own (the
test writes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from api.demo import IN_REVIEW
from tests.web.conftest import WebServer, demo_server


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """This module's own demo server (conftest's `page` and `sign_in` use it here)."""
    with demo_server(tmp_path_factory.mktemp("inbox")) as found:
        yield found


def test_the_printed_reviewer_link_leads_to_an_objective_to_approve(page: Page, sign_in,
                                                                    web_server: WebServer):
    assert any(line.startswith("Waiting in an inbox: Bob Osei has an objective to approve")
               for line in web_server.output)
    sign_in(page, "bob")  # follows the link printed for Bob Osei
    inbox = page.get_by_role("region", name="To review")
    inbox.get_by_role("link", name=IN_REVIEW).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In review")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(inbox).to_contain_text("Nothing waits for you")
