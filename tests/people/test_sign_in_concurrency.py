"""One account signed in and out from several browsers at the same moment, on PostgreSQL: every request
is answered, none with a deadlock. (The sign-in's row lock on the user once blocked the key-share lock a
sign-out's audit event takes on that row, while the sign-out held the audit chain's head.)"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.support.factories import make_user, user_password

SESSIONS = 6
ROUNDS = 12


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time (BEGIN IMMEDIATE), so requests there queue and cannot deadlock",
)
def test_many_sessions_of_one_account_signing_in_and_out_at_once_all_succeed():
    user = make_user()
    start = threading.Barrier(SESSIONS)
    answers: list[tuple[str, int]] = []

    def browser():
        client = Client(raise_request_exception=False)
        try:
            start.wait()
            for _ in range(ROUNDS):
                signed_in = client.post(
                    reverse("people:sign_in"), {"email": user.email, "password": user_password()}
                )
                signed_out = client.post(reverse("people:sign_out"))
                answers.extend([("sign in", signed_in.status_code), ("sign out", signed_out.status_code)])
        finally:
            connection.close()

    browsers = [threading.Thread(target=browser) for _ in range(SESSIONS)]
    for thread in browsers:
        thread.start()
    for thread in browsers:
        thread.join()

    failed = [answer for answer in answers if answer[1] != 302]
    assert len(answers) == 2 * SESSIONS * ROUNDS
    assert not failed, f"{len(failed)} of {len(answers)} requests failed: {failed[:5]}"
