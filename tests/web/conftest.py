"""One `okr serve --demo` and one Chromium for every browser test of the web app.

Fixtures (package-scoped where safe, to keep the suite fast):
- `web_server`: the server (base URL, data dir) and the sign-in links it printed, by subject.
- `browser`: Debian's Chromium through Playwright.
- `page`: a fresh, signed-out page in its own context that refuses every non-local request.
- `sign_in(page, subject)`: follow the printed link for that demo person (ada admin; cheng,
  dana, bob, erin members) and land on Home.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from devtools.network import free_port
from tests.web.browser import launch, offline_context

OKR = str(Path(sys.executable).parent / "okr")
LINK = re.compile(r"^\s+(?P<name>.+) \((?P<role>\w+)\): (?P<url>http://\S+/sign-in#token=\S+)$")


@dataclass
class WebServer:
    base: str
    data_dir: Path
    links: dict[str, str]
    """Each demo person's printed sign-in link, by their name as printed ('Bob Osei')."""
    output: list[str]


def _read_links(process: subprocess.Popen[str]) -> tuple[dict[str, str], list[str]]:
    links: dict[str, str] = {}
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        found = LINK.match(line.rstrip("\n"))
        if found:
            links[found["name"]] = found["url"]
        if line.startswith("Web app:"):
            return links, lines
    raise AssertionError("okr serve stopped before printing its links:\n" + "".join(lines))


@pytest.fixture(scope="package")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    data_dir = tmp_path_factory.mktemp("web")
    port = free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen([OKR, "serve", "--demo", "--port", str(port), "--data-dir",
                                str(data_dir)], stdout=subprocess.PIPE, stderr=log, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        links, output = _read_links(process)
        _wait_ready(base, process)
        yield WebServer(base, data_dir, links, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(base: str, process: subprocess.Popen[str]) -> None:
    from devtools.network import wait_for

    def ready() -> bool:
        assert process.poll() is None, "okr serve exited"
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    wait_for(ready, 30, "okr serve to be ready")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, web_server: WebServer) -> Iterator[Page]:
    context = offline_context(browser, web_server.base)
    yield context.new_page()
    context.close()


NAMES = {"ada": "Ada Admin", "cheng": "Cheng Wu", "dana": "Dana Reyes", "bob": "Bob Osei",
         "erin": "Erin Novak"}


@pytest.fixture
def sign_in(web_server: WebServer) -> Callable[[Page, str], None]:
    def follow_link(page: Page, subject: str) -> None:
        page.goto(web_server.links[NAMES[subject]])
        page.wait_for_url(f"{web_server.base}/")
        page.get_by_role("heading", name="Home").wait_for()
    return follow_link
