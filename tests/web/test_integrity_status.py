"""The log's integrity status in the web app, in a real browser: how far the log is sealed and
the last signed checkpoint, on the audit page; then, after an event is edited with SQL (as an
intruder would) and the server's periodic check finds it, the alarm with its fault on the audit
page and a banner on every page saying writes are refused. On a demo server of its own (the
test tampers with its store) that checks the log every second."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from devtools.network import wait_for
from tests.tampering import execute
from tests.web.browser import assert_accessible, screenshot
from tests.web.conftest import NAMES, WebServer, demo_server
from workflows.settings import Settings


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """This module's own demo server (conftest's `page` and `sign_in` use it here)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OKR_INTEGRITY_CHECK_SECONDS", "1")  # read by the server it starts
        with demo_server(tmp_path_factory.mktemp("integrity")) as found:
            yield found


def test_the_audit_page_shows_the_seal_the_checkpoint_and_then_the_alarm(
        page: Page, sign_in, web_server: WebServer):
    token = web_server.links[NAMES["ada"]].split("#token=")[1]
    with httpx.Client(base_url=web_server.base, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as admin:
        signed = admin.post("/v1/audit/checkpoints", headers={"Accept": "application/json"})
        assert signed.status_code == 200, signed.text
    size = signed.json()["tree_size"]
    sign_in(page, "dana")
    page.goto("/audit")
    status = page.get_by_role("region", name="Integrity of the log")
    expect(status).to_contain_text(f"up to log position {size} of {size}")
    expect(status).to_contain_text(re.compile(
        rf"{size} events, signed \d+ \w+ \d{{4}}, \d\d:\d\d UTC"))
    expect(status).to_contain_text("none: writes are allowed")
    expect(page.get_by_role("alert")).to_have_count(0)

    position = _edit_an_event(web_server)
    wait_for(lambda: httpx.get(f"{web_server.base}/readyz").json()["status"] == "degraded", 30,
             "the server's check to find the edited event")
    page.reload()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Writes are refused")
    expect(banner).to_contain_text(f"edited at position {position}")
    expect(status).to_contain_text("raised: writes are refused")
    expect(status.get_by_role("listitem").first).to_contain_text(
        f"edited at position {position}")
    assert_accessible(page)
    screenshot(page, "audit-integrity-alarm")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("alert")).to_contain_text("Writes are refused")


def _edit_an_event(server: WebServer) -> int:
    """Change a title inside one stored event, around the ledger; its log position."""
    env = Settings(data_dir=server.data_dir).persistence_env()
    position, state = next((position, bytes(state)) for position, state in execute(
        env, "SELECT {position}, state FROM {events} ORDER BY {position}")
        if b"Automate the release train" in bytes(state))
    execute(env, "UPDATE {events} SET state = %s WHERE {position} = %s",
            (state.replace(b"Automate the release train", b"Automate nothing at all"), position))
    return int(position)
