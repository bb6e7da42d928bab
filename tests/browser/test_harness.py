"""The browser harness checks itself: axe runs in Debian's Chromium and reports what it finds."""

import http.server
import threading

import pytest

from candour.people.roles import Role
from tests.support import browser
from tests.support.browser import Journey, assert_accessible

ACCESSIBLE = "<!doctype html><html lang='en'><title>Fine</title><main><h1>Fine</h1><p>Text.</p></main></html>"
IMAGE_WITHOUT_ALT = (
    "<!doctype html><html lang='en'><title>Bad</title><main><h1>Bad</h1><img src='data:,'></main></html>"
)


def test_an_accessible_page_passes(page):
    page.set_content(ACCESSIBLE)

    assert_accessible(page)


def test_a_violation_is_reported_with_its_rule_and_element(page):
    page.set_content(IMAGE_WITHOUT_ALT)

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    assert "image-alt (critical)" in str(failure.value)
    assert "at img" in str(failure.value)


def test_a_journey_fails_when_a_loaded_page_was_never_checked(page):
    journey = Journey(page, "http://127.0.0.1:1")
    page.goto("data:text/html," + ACCESSIBLE)

    with pytest.raises(AssertionError, match="never checked"):
        journey.assert_every_page_checked()

    journey.check()
    journey.assert_every_page_checked()


def test_given_a_user_when_they_sign_in_then_each_page_on_the_way_is_checked(journey, make_user, live_server):
    user = make_user(Role.STAFF)

    journey.sign_in(user.email)

    assert journey.checked == [live_server.url + "/sign-in/", live_server.url + "/"]


class _RefreshingPage(http.server.BaseHTTPRequestHandler):
    """A page that refreshes itself every second, as a job's progress page does (a Refresh header)."""

    loads = 0

    def do_GET(self):
        if self.path != "/":
            self.send_error(404)
            return
        type(self).loads += 1
        body = ACCESSIBLE.replace("Text.", f"Load {type(self).loads}.").encode()
        self.send_response(200)
        self.send_header("Refresh", "1")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def refreshing_page_url():
    server = http.server.HTTPServer(("127.0.0.1", 0), _RefreshingPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_a_page_that_refreshes_itself_holds_still_while_it_is_checked_then_refreshes(
    page, refreshing_page_url, monkeypatch
):
    journey = Journey(page, refreshing_page_url)

    checked = []

    def slow_check(page_):
        # Longer than the page's refresh, as axe at two sizes takes on a busy machine.
        page_.evaluate("() => { window.sameDocument = true }")
        before = page_.inner_text("main")
        page_.wait_for_timeout(2500)
        assert page_.evaluate("() => window.sameDocument === true"), "the page navigated under the check"
        assert page_.inner_text("main") == before
        checked.append(int(before.split("Load ")[1].rstrip(".")))

    monkeypatch.setattr(browser, "assert_accessible_at_every_size", slow_check)
    journey.visit("")

    with page.expect_event("load", timeout=5000):
        pass  # the page's own refresh, once the check is done
    assert f"Load {checked[0] + 1}." in page.inner_text("main")
    journey.check()
