"""Throttles count in the database, so every web process shares one count and a restart forgets nothing;
and the client is found through the trust's own proxies, never by believing any header."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from candour.core import throttle
from candour.core.client_address import client_address
from candour.core.models import ThrottleCount, ThrottleKey

LIMIT = throttle.Limit("test-codes", attempts=3, window=dt.timedelta(minutes=15))


def test_attempts_are_counted_up_to_the_limit(db):
    for _ in range(2):
        throttle.count(LIMIT, "203.0.113.9")
    assert not throttle.exceeded(LIMIT, "203.0.113.9")

    throttle.count(LIMIT, "203.0.113.9")

    assert throttle.exceeded(LIMIT, "203.0.113.9")
    assert not throttle.exceeded(LIMIT, "203.0.113.10")


def test_a_new_window_starts_again(db):
    start = timezone.now()
    for _ in range(3):
        throttle.count(LIMIT, "203.0.113.9", now=start)

    assert not throttle.exceeded(LIMIT, "203.0.113.9", now=start + dt.timedelta(minutes=15))


def test_the_count_is_shared_by_every_connection_to_the_database(transactional_db):
    # Another web process is another connection: what one counted, the other sees.
    throttle.count(LIMIT, "198.51.100.1")
    throttle.count(LIMIT, "198.51.100.1")
    connection.close()

    throttle.count(LIMIT, "198.51.100.1")

    assert throttle.exceeded(LIMIT, "198.51.100.1")


def test_nothing_stored_names_who_tried(db):
    throttle.count(LIMIT, "203.0.113.9")
    throttle.count(LIMIT, "someone@northmoor.example")

    stored = " ".join(str(row) for row in ThrottleCount.objects.values_list("bucket", flat=True))
    assert "203.0.113.9" not in stored
    assert "someone" not in stored


def test_finished_windows_and_past_days_keys_are_deleted(db):
    yesterday = timezone.now() - dt.timedelta(days=1)
    throttle.count(LIMIT, "203.0.113.9", now=yesterday)
    throttle.count(LIMIT, "203.0.113.9")

    throttle.forget_expired()

    assert ThrottleCount.objects.count() == 1
    assert list(ThrottleKey.objects.values_list("day", flat=True)) == [
        timezone.now().astimezone(dt.UTC).date()
    ]


def test_clearing_forgets_this_window(db):
    throttle.count(LIMIT, "203.0.113.9")
    throttle.clear(LIMIT, "203.0.113.9")
    assert throttle.attempts(LIMIT, "203.0.113.9") == 0


def test_a_window_longer_than_a_day_is_refused():
    with pytest.raises(ValueError):
        throttle.Limit("too-long", attempts=1, window=dt.timedelta(days=2))


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.CANDOUR_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "10.9.9.9")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw(settings):
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote its own header; only what our proxy appended is believed.
    assert client_address(_request("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_request("10.0.0.5", "203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_a_request_from_outside_the_proxies_cannot_claim_another_address(settings):
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("198.51.100.2", "203.0.113.9")) == "198.51.100.2"
