"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Every test in tests/browser is marked `browser` and runs in one xdist group (one Chromium at a time).
Use the `journey` fixture: it checks every page it reaches with axe (see tests/support/browser.py).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.support.browser import Journey

# Playwright's sync API runs an event loop in the test's thread; the ORM would otherwise refuse to work there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here; these flags keep Debian's Chromium quiet and offline.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TESTS = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Marked here so no journey can forget; tryfirst so xdist's loadgroup sees the group.
    grouped = config.pluginmanager.hasplugin("xdist")  # its marker is unknown under -p no:xdist
    for item in items:
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if grouped:
                item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (make browser-deps installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser journeys cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    # bypass_csp only so that axe can be injected; the app's own pages still send their strict CSP.
    context = browser.new_context(bypass_csp=True, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def journey(page, live_server):
    journey = Journey(page, live_server.url)
    yield journey
    journey.assert_every_page_checked()
