"""The sign-in and receipt-code limits hold however the service is run: counted once across every web
process (two real processes share one count), per client behind the trust's proxy rather than per proxy,
and for anonymous follow-up without keeping anyone's address."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candour.core.models import ThrottleCount, ThrottleKey
from candour.people.roles import Role
from candour.speakup import services
from candour.speakup.models import Kind, Subject
from tests.support.processes import environment, run_python

PROXY = "10.0.0.5"
WRONG_CODE = "2222-2222-2222-2222-2222-22"
NOT_FOUND = "We could not find a concern with that code"

# One web process's share of the guessing: it signs in wrongly, and tries wrong receipt codes, as one
# client behind the trust's proxy; it prints what it saw. Both processes try at one frozen instant, so a slow
# start on a busy machine cannot carry the second into the next window.
WORKER = """
import json, sys
import django
import time_machine
django.setup()
from django.test import Client
from django.urls import reverse
from candour.speakup import receipts

tries, instant = int(sys.argv[1]), sys.argv[2]
client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
with time_machine.travel(instant, tick=False):
    pages = [
        client.post(reverse("people:sign_in"), {"email": "nobody@test.example", "password": "wrong"}).text
        for _ in range(tries)
    ]
    for _ in range(tries):
        client.post(reverse("speakup:follow_up"), {"code": "2222-2222-2222-2222-2222-22"})
    receipts_refused = not receipts.attempts_left("203.0.113.9")
last_refused = "too many failed sign-ins" in pages[-1]
print(json.dumps({"last_refused": last_refused, "receipts_refused": receipts_refused}))
"""


@pytest.mark.django_db(transaction=True)
def test_two_web_processes_count_one_clients_failures_together(tmp_path):
    env = environment(
        tmp_path,
        CANDOUR_TRUSTED_PROXIES="10.0.0.0/8",
        CANDOUR_SIGN_IN_CLIENT_FAILURES="5",
        CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR="5",
    )

    instant = timezone.now().isoformat()

    first = run_python(env, WORKER, "3", instant)
    second = run_python(env, WORKER, "3", instant)

    assert first == {"last_refused": False, "receipts_refused": False}
    assert second == {"last_refused": True, "receipts_refused": True}


def _anonymous_concern(make_user) -> str:
    reporter = make_user(Role.STAFF)
    make_user(Role.SAFEGUARDING_LEAD, reporter.person.station.parent.parent)
    held = services.raise_anonymous_concern(
        submission="c" * 32,
        client_address="192.0.2.10",
        kind=Kind.LOW_LEVEL,
        narrative="A remark in the crew room.",
        subject_type=Subject.COLLEAGUE,
        subject_description="A colleague on nights",
        station=reporter.person.station,
    )
    services.write_held_anonymous()
    return held.receipt.code


def _behind_the_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def _follow_up(client: Client, code: str) -> str:
    return client.post(reverse("speakup:follow_up"), {"code": code}).text


def test_a_guesser_behind_the_trusts_proxy_does_not_lock_out_other_reporters(make_user, settings):
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR = 3
    code = _anonymous_concern(make_user)
    guesser = _behind_the_proxy("203.0.113.66")
    for _ in range(3):
        _follow_up(guesser, WRONG_CODE)

    assert NOT_FOUND in _follow_up(guesser, code)
    assert NOT_FOUND not in _follow_up(_behind_the_proxy("198.51.100.20"), code)


def test_a_sprayer_behind_the_trusts_proxy_does_not_lock_out_colleagues(make_user, settings):
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CANDOUR_SIGN_IN_CLIENT_FAILURES = 3
    colleague = make_user()
    for _ in range(3):
        _behind_the_proxy("203.0.113.66").post(
            reverse("people:sign_in"), {"email": "nobody@test.example", "password": "Winter2026!"}
        )

    response = _behind_the_proxy("198.51.100.20").post(
        reverse("people:sign_in"), {"email": colleague.email, "password": "northmoor-demo-password"}
    )

    assert response.status_code == 302


def test_failed_follow_ups_leave_no_address_behind(make_user, settings):
    settings.CANDOUR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    _anonymous_concern(make_user)
    for _ in range(2):
        _follow_up(_behind_the_proxy("203.0.113.66"), WRONG_CODE)

    stored = json.dumps(
        [list(ThrottleCount.objects.values()), list(ThrottleKey.objects.values())], default=str
    )
    assert ThrottleCount.objects.exists()
    assert "203.0.113.66" not in stored and PROXY not in stored
