"""Browser harness helpers: the axe accessibility check, a Journey that checks every page, and sign-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.support.factories import user_password

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA, as the NHS service standard asks; each level's tag names only the rules new at that level.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `make setup` (npm ci installs axe-core).")
    return AXE_SCRIPT.read_text()


def axe_violations(page: Page) -> list[dict]:
    """Run axe on the page's current document. Needs a context made with bypass_csp=True (the app's CSP
    forbids injected scripts)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=_axe_source())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"
        )
        lines.extend(f"    at {' '.join(node['target'])}" for node in violation["nodes"])
    return "\n".join(lines)


# A phone held upright, and the narrowest width WCAG 1.4.10 (reflow) asks a page to fit without scrolling
# sideways; each page is checked at its desktop size, then at these.
PHONE = {"width": 375, "height": 667}
REFLOW_WIDTH = 320


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    if violations:
        raise AssertionError(describe_violations(page.url, violations))


def assert_fits_without_sideways_scrolling(page: Page) -> None:
    """Only a region of its own (a wide table in a focusable scroll box) may scroll sideways, never the
    whole page."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        raise AssertionError(
            f"{page.url} scrolls sideways by {overflow} px at {REFLOW_WIDTH} px wide (WCAG 1.4.10 reflow)"
        )


def _resize(page: Page, size: dict) -> None:
    """Resize, then let the page's own scripts lay it out again (the header moves links into "More" when it
    is told of the resize) before anything is measured."""
    page.set_viewport_size(size)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def assert_accessible_at_every_size(page: Page) -> None:
    """Axe at the page's own size and at a phone's; and the page reflows at 320 px."""
    assert_accessible(page)
    desktop = page.viewport_size
    try:
        _resize(page, PHONE)
        assert_accessible(page)
        _resize(page, {"width": REFLOW_WIDTH, "height": PHONE["height"]})
        assert_fits_without_sideways_scrolling(page)
    finally:
        if desktop:
            _resize(page, desktop)


class Journey:
    """A page whose every loaded document gets the axe check. Move through the app with its methods
    (visit, follow, click_link, press_button); a page that loads any other way and is never checked fails
    the test at teardown, naming its URL."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.checked: list[str] = []
        self._unchecked: list[str] = []
        self._refresh_seconds: float | None = None
        page.on("load", lambda loaded: self._unchecked.append(loaded.url))
        page.on("response", self._note_refresh)

    def _note_refresh(self, response) -> None:
        """Remember whether the document now loading asks to be refreshed (a job's progress page does)."""
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            delay = response.headers.get("refresh", "").split(";")[0].strip()
            try:
                self._refresh_seconds = float(delay)
            except ValueError:
                self._refresh_seconds = None

    def visit(self, path: str) -> None:
        self.follow(lambda: self.page.goto(self.base_url + path))

    def follow(self, action: Callable[[], object]) -> None:
        """Do something that loads a new document (a link, a form's submit button), then check it."""
        with self.page.expect_event("load"):
            action()
        self.check()

    def click_link(self, name: str) -> None:
        self.follow(lambda: self.page.get_by_role("link", name=name, exact=True).click())

    def open_section(self, name: str) -> None:
        """Follow a link of the header's menu, from under "More" when the header has no room for it."""
        link = self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)
        if not link.is_visible():
            self.page.locator(".nhsuk-header__menu-toggle").click()
        self.follow(link.click)

    def press_button(self, name: str) -> None:
        self.follow(lambda: self.page.get_by_role("button", name=name, exact=True).click())

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def check(self) -> None:
        """Check the current document now: after a change in place by script, or a page loaded otherwise.

        A page that refreshes itself is held still while it is checked (window.stop() cancels the browser's
        pending refresh, which on a busy machine would navigate under axe), then refreshes as it asked,
        counted from the end of the check."""
        refresh = self._refresh_seconds
        if refresh is not None:
            self.page.evaluate("() => window.stop()")
        assert_accessible_at_every_size(self.page)
        self.checked.append(self.page.url)
        self._unchecked.clear()
        if refresh is not None:
            self.page.evaluate("seconds => setTimeout(() => location.reload(), seconds * 1000)", refresh)

    def sign_in(self, email: str, password: str | None = None) -> None:
        self.visit(reverse("people:sign_in"))
        _fill_sign_in(self.page, email, password)
        self.press_button("Sign in")
        _expect_signed_in(self.page)

    def assert_every_page_checked(self) -> None:
        if self._unchecked:
            raise AssertionError(
                "These pages loaded but were never checked for accessibility (move with the Journey's "
                f"methods, or call journey.check()): {', '.join(self._unchecked)}"
            )


def sign_in(page: Page, live_server, email: str, password: str | None = None) -> None:
    """Sign in through the real form, as a person would. Every test user has the demo password."""
    page.goto(live_server.url + reverse("people:sign_in"))
    _fill_sign_in(page, email, password)
    with page.expect_event("load"):
        page.get_by_role("button", name="Sign in", exact=True).click()
    _expect_signed_in(page)


def _fill_sign_in(page: Page, email: str, password: str | None) -> None:
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password or user_password())


def _expect_signed_in(page: Page) -> None:
    # Fail here, with the page's own words, rather than on some later step.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
