"""The people app's home cards lead to the list they count, filtered to exactly what they count."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from candour.core.attention import items_for
from candour.people.models import User
from candour.people.roles import Role
from tests.support.factories import PersonFactory, UserFactory


def _card(user, title):
    [card] = [item for item in items_for(user) if item.title == title]
    return card


def _listed(client, url) -> tuple[int, set[str]]:
    """The total the list states, and the names on it."""
    page = client.get(url).text
    total = int(re.search(r"([\d,]+) (?:person|people) in your view", page).group(1).replace(",", ""))
    names = set(re.findall(r'href="/people/[0-9a-f-]+/">([^<]+)</a>', page))
    return total, names


def _card_leads_to_what_it_counts(client, card, expected: set[str]) -> None:
    total, names = _listed(client, card.url)
    assert card.count == total == len(expected), f"{card.title}: card {card.count}, list {total}"
    assert names == expected


def test_a_line_managers_cards_lead_to_their_leavers_and_starters(make_user, client_for):
    manager = make_user(Role.LINE_MANAGER)
    station = manager.person.station
    today = timezone.localdate()
    soon = today + dt.timedelta(days=10)
    leaving = [
        PersonFactory(station=station, line_manager=manager.person, leave_date=soon, family_name=name)
        for name in ("Ashworth", "Brierley")
    ]
    PersonFactory(station=station, line_manager=manager.person, leave_date=today + dt.timedelta(days=90))
    PersonFactory(station=station, leave_date=soon, family_name="Someone-Elses")
    starting = PersonFactory(
        station=station,
        line_manager=manager.person,
        start_date=today + dt.timedelta(days=7),
        family_name="Crowther",
    )
    client = client_for(manager)

    _card_leads_to_what_it_counts(
        client, _card(manager, "Team members leaving"), {person.full_name for person in leaving}
    )
    _card_leads_to_what_it_counts(client, _card(manager, "New starters"), {starting.full_name})


def test_an_administrators_cards_lead_to_staff_without_a_manager_and_to_paused_sign_ins(
    make_user, client_for
):
    admin = make_user(Role.SYSTEM_ADMIN)
    station = admin.person.station
    boss = PersonFactory(station=station, family_name="Boss")
    for person in (admin.person, boss):
        person.line_manager = boss
        person.save()
    unmanaged = PersonFactory(station=station, family_name="Unmanaged")
    PersonFactory(station=station, line_manager=boss, family_name="Managed")
    paused = [UserFactory(person=PersonFactory(station=station, line_manager=boss)) for _ in range(2)]
    User.objects.filter(pk__in=[user.pk for user in paused]).update(
        locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    UserFactory(
        person=PersonFactory(station=station, line_manager=boss),
        locked_until=timezone.now() - dt.timedelta(minutes=1),
    )
    client = client_for(admin)

    _card_leads_to_what_it_counts(client, _card(admin, "Staff with no line manager"), {unmanaged.full_name})
    _card_leads_to_what_it_counts(
        client,
        _card(admin, "Accounts paused after failed sign-ins"),
        {user.person.full_name for user in paused},
    )


def test_the_directory_offers_each_person_only_the_lists_they_have_a_use_for(make_user, client_for):
    staff_page = client_for(make_user(Role.LINE_MANAGER)).get(reverse("people:list_people")).text
    admin_page = client_for(make_user(Role.SYSTEM_ADMIN)).get(reverse("people:list_people")).text

    assert "My team: leaving" in staff_page and "Sign-in paused" not in staff_page
    assert "Sign-in paused" in admin_page and "No line manager recorded" in admin_page
