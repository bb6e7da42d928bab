"""Calls to /api/v1/: the key authenticates, its scopes authorise, its calls are counted and audited, and
every refusal is a problem-details body with one generic message."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from candour.api import services
from candour.api.endpoints.problems import NOT_ALLOWED
from candour.api.scopes import KeyScope
from candour.core.models import AuditEvent, ThrottleCount
from candour.core.uploads import MULTIPART_ALLOWANCE
from tests.api.support import issued_key
from tests.support.processes import environment, run_python

KEY = "/api/v1/key"


def _call(text, path=KEY, client=None, **extra):
    client = client or Client()
    return client.get(path, headers={"Authorization": f"Bearer {text}"}, **extra)


def _assert_refused(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"] == NOT_ALLOWED and body["type"] == "about:blank"


def test_a_live_key_is_told_what_it_is(db):
    text, key = issued_key(scopes=[KeyScope.SEND_TRAINING_RECORDS], units=[])

    response = _call(text)

    assert response.status_code == 200
    assert response.json()["integration"] == key.integration.name
    assert response.json()["scopes"] == [KeyScope.SEND_TRAINING_RECORDS]


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer cnd_000000000000_" + "A" * 43],
)
def test_a_call_without_a_good_key_gets_the_one_generic_refusal(db, header):
    response = Client().get(KEY, headers={"Authorization": header} if header else {})

    _assert_refused(response, 401)
    assert not AuditEvent.objects.filter(action="api_call").exists()


def test_revoked_and_expired_keys_get_the_same_refusal_as_a_wrong_one(db):
    revoked_text, revoked = issued_key()
    services.revoke_key(by=revoked.issued_by, key=revoked)
    expired_text, _ = issued_key(revoked.integration, expires_on=timezone.localdate())

    _assert_refused(_call(revoked_text), 401)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        _assert_refused(_call(expired_text), 401)


def test_a_key_is_counted_across_clients_and_refused_past_its_limit(db, settings):
    settings.CANDOUR_API_CALLS_PER_WINDOW = 3
    text, _ = issued_key()

    answers = [_call(text, client=Client()).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    # The count lives in the database, where every web process reads the same one.
    assert ThrottleCount.objects.get().count == 4
    refused = _call(text)
    assert refused["Content-Type"] == "application/problem+json" and refused["Retry-After"] == "60"


# A web process of its own: it issues a key in the shared database, or calls with one and prints the answers.
ISSUES_A_KEY = """
import json
import django
django.setup()
from tests.api.support import issued_key
print(json.dumps(issued_key()[0]))
"""
# Both processes call at the same frozen instant, so a slow start on a busy machine cannot carry the second
# one into the next window.
CALLS_WITH_A_KEY = """
import json, sys
import django
import time_machine
django.setup()
from django.test import Client
text, calls, instant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = Client()
with time_machine.travel(instant, tick=False):
    answers = [
        client.get("/api/v1/key", headers={"Authorization": f"Bearer {text}"}).status_code
        for _ in range(calls)
    ]
print(json.dumps(answers))
"""


@pytest.mark.django_db(transaction=True)
def test_two_web_processes_count_one_keys_calls_together(tmp_path):
    env = environment(tmp_path, CANDOUR_API_CALLS_PER_WINDOW="3")
    text = run_python(env, ISSUES_A_KEY)
    instant = timezone.now().isoformat()

    first = run_python(env, CALLS_WITH_A_KEY, text, "2", instant)
    second = run_python(env, CALLS_WITH_A_KEY, text, "2", instant)

    assert first == [200, 200]
    assert second == [200, 429]


def test_another_keys_calls_do_not_count_against_this_one(db, settings):
    settings.CANDOUR_API_CALLS_PER_WINDOW = 1
    first, key = issued_key()
    second, _ = issued_key(key.integration)

    assert _call(first).status_code == 200
    assert _call(second).status_code == 200
    assert _call(first).status_code == 429


def test_each_call_is_audited_with_its_integration_and_endpoint(db):
    text, key = issued_key()

    _call(text)

    event = AuditEvent.objects.get(action="api_call")
    assert event.object_id == str(key.integration.public_id)
    assert event.actor_label == f"API: {key.integration.name}"
    assert event.changes == {"key": key.prefix, "endpoint": "GET /api/v1/key", "status": 200}


def test_a_body_declared_too_large_is_refused_before_it_is_read(db, settings):
    settings.CANDOUR_API_MAX_BODY_BYTES = 1024
    text, _ = issued_key()

    response = Client().generic(
        "POST",
        KEY,
        b"x" * (1024 + MULTIPART_ALLOWANCE + 1),
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}"},
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
