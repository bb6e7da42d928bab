"""A small closed-loop load generator on loopback: N signed-in clients ask for one page, again and again.

Standard library only (urllib with a cookie jar), so it measures the server and nothing clever in between.
Every loop is bounded by a deadline and a request count.
"""

from __future__ import annotations

import http.cookiejar
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_REQUESTS_PER_CLIENT = 100_000
REQUEST_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Scenario:
    """One page to time. `user` signs in first (a demo email) or None for anonymous; `reference` names the
    scenario this one is compared against in the table; `form`, when given, is posted instead of a GET;
    `lands_under`, when given, is where the answer may redirect to (otherwise it stays on `path`); `headers`
    go with every request (an API key)."""

    name: str
    path: str
    user: str | None = None
    reference: str | None = None
    form: dict[str, str] | None = None
    lands_under: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    scenario: Scenario
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in seconds."""
        ordered = sorted(self.latencies)
        rank = max(1, round(p / 100 * len(ordered)))
        return ordered[rank - 1]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


class _CsrfToken(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.value: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken" and self.value is None:
            self.value = attributes.get("value")


class Client:
    """One browser-like session: its own cookies, no proxies (loopback only)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self._cookies)
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """Status, the path finally reached (after redirects), and the body."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        with self._opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            return response.status, urllib.parse.urlsplit(response.url).path, response.read()

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str, bytes]:
        """Submit a form with this session's CSRF token (the cookie's value, which Django accepts)."""
        token = next((cookie.value for cookie in self._cookies if cookie.name == "csrftoken"), "")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **form}).encode()
        request = urllib.request.Request(self.base_url + path, data=data)
        with self._opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            return response.status, urllib.parse.urlsplit(response.url).path, response.read()

    def sign_in(self, email: str, password: str) -> None:
        _, _, page = self.get("/sign-in/")
        token = _CsrfToken()
        token.feed(page.decode())
        if not token.value:
            raise RuntimeError("The sign-in page has no CSRF token.")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.value, "email": email, "password": password}
        )
        request = urllib.request.Request(self.base_url + "/sign-in/", data=form.encode())
        with self._opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            reached = urllib.parse.urlsplit(response.url).path
        if reached.startswith("/sign-in/"):
            raise RuntimeError(f"Could not sign in as {email}: still on the sign-in page.")


def run(
    scenario: Scenario, clients: list[Client], seconds: float, stop: Callable[[], bool] | None = None
) -> Result:
    """Every client asks for the page back to back until the deadline (or until `stop` says so); one thread
    per client."""
    result = Result(scenario, seconds=0.0)
    lock = threading.Lock()
    start = threading.Barrier(len(clients))

    def hammer(client: Client) -> None:
        start.wait()
        deadline = time.perf_counter() + seconds
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            began = time.perf_counter()
            if began >= deadline or (stop is not None and stop()):
                return
            try:
                if scenario.form is None:
                    status, reached, _ = client.get(scenario.path, scenario.headers)
                else:
                    status, reached, _ = client.post(scenario.path, scenario.form)
                # Redirects land on a path; a scenario's query string (its filters) is not part of it.
                if scenario.lands_under:
                    landed = status == 200 and reached.startswith(scenario.lands_under)
                else:
                    landed = (status, reached) == (200, urllib.parse.urlsplit(scenario.path).path)
                problem = None if landed else f"{status} at {reached}"
            except OSError as error:
                problem = repr(error)
            elapsed = time.perf_counter() - began
            with lock:
                if problem:
                    result.errors.append(problem)
                else:
                    result.latencies.append(elapsed)

    threads = [threading.Thread(target=hammer, args=(client,), daemon=True) for client in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT_SECONDS + 10)
    result.seconds = time.perf_counter() - began
    return result
