"""One password tried against every account (spraying) never pauses an account, so each client address
has its own limit on failed sign-ins, whichever accounts they were for."""

from django.test import Client
from django.urls import reverse

from candour.people.models import User
from tests.support.factories import user_password

SIGN_IN = reverse("people:sign_in")
TOO_MANY = "There have been too many failed sign-ins from your network"


def test_one_password_tried_on_many_accounts_stops_that_client(make_user, settings):
    settings.CANDOUR_SIGN_IN_CLIENT_FAILURES = 5
    accounts = [make_user() for _ in range(6)]
    sprayer = Client(REMOTE_ADDR="203.0.113.66")
    for account in accounts[:5]:
        sprayer.post(SIGN_IN, {"email": account.email, "password": "Winter2026!"})

    refused = sprayer.post(SIGN_IN, {"email": accounts[5].email, "password": user_password()})

    assert refused.status_code == 200 and TOO_MANY in refused.text
    assert not any(user.is_locked() for user in User.objects.all())
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        elsewhere.post(SIGN_IN, {"email": accounts[5].email, "password": user_password()}).status_code == 302
    )


def test_unknown_addresses_count_towards_the_clients_limit(db, settings):
    settings.CANDOUR_SIGN_IN_CLIENT_FAILURES = 3
    client = Client(REMOTE_ADDR="203.0.113.67")
    pages = [
        client.post(SIGN_IN, {"email": f"guess{n}@test.example", "password": "Winter2026!"}).text
        for n in range(4)
    ]

    assert TOO_MANY not in pages[2] and TOO_MANY in pages[3]
