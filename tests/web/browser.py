"""Shared browser-test helpers for the web app's pages (reuse them for new pages).

- `launch(playwright)`: Debian's Chromium (`/usr/bin/chromium`), headless, no sandbox, never a
  browser Playwright downloads.
- `offline_context(browser, base)`: a browser context at 1,400 px that refuses every request
  not to the test server, so a page that needs the internet fails its test.
- `assert_accessible(page)`: axe-core (bundled with axe-playwright-python: no network) finds
  no serious or critical violation.
- `screenshot(page, name)`: `docs/screenshots/<name>.png` when `OKR_SCREENSHOTS` names that
  directory (`make screenshots`); otherwise nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTH = 1400
SERIOUS = {"serious", "critical"}


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def offline_context(browser: Browser, base: str) -> BrowserContext:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, base_url=base)
    served = urlsplit(base).netloc
    context.blocked = []  # type: ignore[attr-defined]

    def only_the_server(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == served or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            context.blocked.append(url)  # type: ignore[attr-defined]
            route.abort()

    context.route("**/*", only_the_server)
    return context


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, results.generate_report()


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("OKR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
