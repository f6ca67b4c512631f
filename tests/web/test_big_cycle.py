"""A cycle of more than 300 objectives in a real browser: the page shows two levels and loads a
subtree when its node is opened. The store is built before the server starts, through the
ledger (`benchmarks.population`: the domain's own methods, the workflow's own steps, about
1,000 events a transaction), in a data dir of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.tokens import issue_token, load_secret
from benchmarks.population import open_cycle, populate
from tests.web.conftest import WebServer, demo_server
from web.cycle_view import WHOLE_TREE_LIMIT
from workflows.ledger import OKRLedger
from workflows.settings import Settings

OBJECTIVES = WHOLE_TREE_LIMIT + 20
"""Objective n is aligned to objective (n - 1) // 8: 0 is the root, 1-8 its children, 9-16
the children of 1, and so on."""


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebServer, str]]:
    """A server over a store holding one big cycle (its id), and an admin's sign-in link."""
    data_dir = tmp_path_factory.mktemp("big")
    with OKRLedger(Settings(data_dir=data_dir).persistence_env()) as ledger:
        cycle_id = open_cycle(ledger, "Big")
        populate(ledger, cycle_id, OBJECTIVES, check_ins=0)
        head = ledger.recorder.max_notification_id()
    with demo_server(data_dir) as server:  # the store is not empty: no demo is loaded
        token = issue_token(load_secret(Settings(data_dir=data_dir)), "ada", "admin", 600)
        caught_up = httpx.get(f"{server.base}/v1/cycles/{cycle_id}/tree?min_position={head}",
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert caught_up.status_code == 200, caught_up.text
        server.links["Ada Admin"] = f"{server.base}/sign-in#token={token}"
        yield server, cycle_id


@pytest.fixture(scope="module")
def web_server(big: tuple[WebServer, str]) -> WebServer:
    """The big cycle's server (conftest's `page` and `sign_in` use it here)."""
    return big[0]


def test_a_big_cycle_shows_two_levels_and_loads_a_subtree_when_opened(page: Page, sign_in,
                                                                      big):
    cycle_id = big[1]
    sign_in(page, "ada")
    page.goto(f"/cycles/{cycle_id}")
    tree = page.locator("#replay-view")
    expect(tree.locator("a.title", has_text=re.compile(r"^Objective 8$"))).to_be_visible()
    expect(tree.locator("a.title", has_text=re.compile(r"^Objective 9$"))).to_have_count(0)
    with page.expect_response(re.compile(r"/nodes/")) as loaded:
        tree.get_by_text("8 aligned to “Objective 1”").click()
    assert loaded.value.status == 200
    for child in range(9, 17):
        expect(tree.locator("a.title", has_text=re.compile(rf"^Objective {child}$"))
               ).to_be_visible()
    expect(tree.locator("a.title", has_text=re.compile(r"^Objective 17$"))).to_have_count(0)
