"""People who join a briefing's audience after it was published receive it: a new starter, or someone who
moves to one of its stations, with the same time to read it that everyone else had."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt

import time_machine
from django.utils import timezone

from candour.core.attention import items_for
from candour.core.models import AuditEvent
from candour.learning.models import BriefingAudience
from candour.learning.queries import briefings as queries
from candour.learning.services import briefings as services
from candour.people.roles import Role
from candour.people.signals import people_changed
from tests.learning.briefing_fixtures import northshire, people_at, publish  # noqa: F401 - fixtures
from tests.support.factories import PersonFactory, make_user

DAY = dt.timedelta(days=1)


def _row(briefing, person) -> BriefingAudience | None:
    return BriefingAudience.objects.filter(briefing=briefing, person=person).first()


def test_a_starter_after_publication_receives_the_briefing_with_the_same_time_to_read_it(northshire, publish):
    today = timezone.localdate()
    briefing = publish(roles=[northshire.paramedic_role], acknowledge_by=today + 14 * DAY)
    starter = PersonFactory(
        station=northshire.a2, job_role=northshire.paramedic_role, start_date=today + 5 * DAY
    )

    assert services.reach_joiners(today=today) == 0
    assert services.reach_joiners(today=today + 5 * DAY) == 1

    row = _row(briefing, starter)
    assert (row.joined_on, row.due_on, row.station) == (today + 5 * DAY, today + 19 * DAY, northshire.a2)
    assert AuditEvent.objects.filter(action="briefing_reached_joiners").count() == 1
    assert services.reach_joiners(today=today + 5 * DAY) == 0


def test_someone_who_moves_to_a_station_of_the_briefing_receives_it(northshire, publish):
    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.area_a])
    mover = northshire.paramedic_b.person
    assert _row(briefing, mover) is None

    mover.station = northshire.a2
    mover.save()
    people_changed.send(sender=None, person_ids=[mover.pk])

    assert _row(briefing, mover).station == northshire.a2


def test_joiners_outside_the_roles_or_stations_do_not_receive_it(northshire, publish):
    briefing = publish(roles=[northshire.paramedic_role], units=[northshire.a1])
    people_at(northshire.a1, northshire.technician_role, 1)
    people_at(northshire.b1, northshire.paramedic_role, 1)

    services.reach_joiners(today=timezone.localdate())

    assert briefing.audience.count() == 1


def test_an_old_briefing_does_not_reach_joiners(northshire, publish, settings):
    settings.CANDOUR_BRIEFING_REACHES_JOINERS_DAYS = 90
    with time_machine.travel(timezone.now() - 100 * DAY):
        old = publish(roles=[northshire.paramedic_role], acknowledge_by=timezone.localdate() + 14 * DAY)
    people_at(northshire.a1, northshire.paramedic_role, 1)

    services.reach_joiners(today=timezone.localdate())

    assert old.audience.count() == 2


def test_a_joiners_deadline_is_their_own_in_the_figures_and_on_their_home_page(northshire, publish):
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - 20 * DAY):
        briefing = publish(roles=[northshire.paramedic_role], acknowledge_by=today - 6 * DAY)
    joiner = make_user(Role.STAFF, northshire.a1, job_role=northshire.paramedic_role)
    services.reach_joiners(today=today)

    card = next(item for item in items_for(joiner) if item.title == "Briefings to read")
    report = queries.report(briefing)

    assert not card.urgent
    assert report.overall.audience == 3 and report.overall.overdue == 2
