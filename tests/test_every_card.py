"""Every card on every demo role's home page leads to exactly the rows it counts (issue 10).

The demo trust is built on a fixed day, so that most roles have cards. For each role the test reads the cards
off the rendered home page, follows each card's link and counts the elements the page marks with
`data-counted-row`, following the list's "next" links, so a paginated list is counted across all its pages.
A list template marks every row it lists, whatever the filter: a card that leads to a list which is not
filtered to what it counts shows more marked rows than its number, and fails. A card without a number leads
to one thing (an object's page, or the audit log), and that page marks itself once.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from candour.core.attention import items_for
from candour.core.demo import build_demo
from candour.people.demo import DEMO_USERS, demo_email
from candour.people.models import User
from tests.support.counted_rows import MOST_PAGES, cards_on, counted_rows

TODAY = dt.date(2026, 11, 22)
SEED = 2026


@pytest.fixture(scope="module")
def demo_trust(django_db_setup, django_db_blocker):
    """The demo trust, built once for this file's tests and rolled back after them, on its own day."""
    with (
        time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        build_demo(seed=SEED, scale="demo", today=TODAY)
        yield
        transaction.set_rollback(True)


def _users():
    return [(role, User.objects.get(email=demo_email(slug))) for role, slug, _, _ in DEMO_USERS]


def test_the_home_page_shows_every_card_with_its_link_and_count(demo_trust, db, client_for):
    for role, user in _users():
        page = client_for(user).get(reverse("core:home")).content.decode()

        expected = [(item.url, item.count) for item in items_for(user)]
        assert cards_on(page) == expected, role


def test_every_card_of_every_role_leads_to_exactly_the_rows_it_counts(demo_trust, db, client_for):
    wrong, walked = [], 0
    for role, user in _users():
        client = client_for(user)
        for url, count in cards_on(client.get(reverse("core:home")).content.decode()):
            walked += 1
            # A card without a number leads to one thing, on the page it opens.
            counted, statuses = counted_rows(client, url, pages=1 if count is None else MOST_PAGES)
            expected = 1 if count is None else count
            if statuses or counted != expected:
                wrong.append(f"{role}: {url} counts {count}, the page shows {counted} ({statuses or 200})")

    assert not wrong, "\n".join(wrong)
    # The demo's day gives most roles cards; a demo that gave none would make this test prove nothing.
    assert walked >= 40


def test_a_card_leading_to_its_list_unfiltered_would_be_caught(demo_trust, db, client_for):
    # The staff member's role needs more training than has expired: all of it is more than the card counts.
    user = User.objects.get(email=demo_email("staff"))
    card = next(item for item in items_for(user) if item.title == "Training expired")

    assert counted_rows(client_for(user), reverse("learning:show_my_training"))[0] > card.count
