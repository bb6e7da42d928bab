"""A briefing's figures by area: share acknowledged, median days to acknowledge, chased and overdue."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from candour.learning.models import BriefingAudience
from candour.learning.queries import briefings as queries
from candour.learning.services import briefings as services
from candour.people.roles import Role
from tests.learning.briefing_fixtures import northshire, publish  # noqa: F401 - fixtures

PUBLISHED = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)  # a Monday, 9am in London (BST)


def _at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def worked(northshire, publish, make_user):
    """Paramedics: four in area A (read on days 0, 1 and 5; one never) and two in B (one read just after
    midnight in London on day 2, which is still day 1 in UTC; one never). Chased on day 4."""
    paramedic = {"job_role": northshire.paramedic_role}
    a = [northshire.paramedic, make_user(Role.STAFF, northshire.a1, **paramedic)]
    a += [make_user(Role.STAFF, northshire.a2, **paramedic) for _ in range(2)]
    b = [northshire.paramedic_b, make_user(Role.STAFF, northshire.b1, **paramedic)]
    with _at(PUBLISHED):
        briefing = publish(roles=[northshire.paramedic_role], acknowledge_by=dt.date(2026, 6, 8))
    for user, moment in [
        (a[0], PUBLISHED + dt.timedelta(hours=2)),
        (a[1], PUBLISHED + dt.timedelta(days=1)),
        (a[2], PUBLISHED + dt.timedelta(days=5)),
        (b[0], dt.datetime(2026, 6, 2, 23, 30, tzinfo=dt.UTC)),
    ]:
        with _at(moment):
            services.acknowledge_briefing(by=user, briefing=briefing)
    with _at(PUBLISHED + dt.timedelta(days=4)):
        services.chase_unread_briefings(today=dt.date(2026, 6, 5))
    return briefing


def test_the_report_gives_share_median_and_chased_by_area(worked):
    with _at(dt.datetime(2026, 6, 8, 12, tzinfo=dt.UTC)):
        report = queries.report(worked)

    area_a, area_b = report.areas
    assert (area_a.name, area_a.totals) == ("Area A", queries.Totals(4, 3, 1, 0, 1))
    assert (area_b.name, area_b.totals) == ("Area B", queries.Totals(2, 1, 1, 0, 2))
    assert report.overall == queries.Totals(6, 4, 2, 0, 1.5)
    assert area_a.totals.share == 75


def test_the_report_counts_the_unacknowledged_as_overdue_after_the_deadline(worked):
    with _at(dt.datetime(2026, 6, 9, 12, tzinfo=dt.UTC)):
        report = queries.report(worked)

    assert [area.totals.overdue for area in report.areas] == [1, 1]
    assert report.overall.overdue == 2


def test_a_briefing_nobody_has_read_has_no_median(northshire, publish):
    report = queries.report(publish(roles=[northshire.paramedic_role]))

    assert report.overall.median_days is None and report.overall.share == 0


def test_the_report_page_shows_each_area_and_all_areas(northshire, worked, client_for):
    with _at(dt.datetime(2026, 6, 9, 12, tzinfo=dt.UTC)):
        client = client_for(northshire.lead)
        response = client.get(
            reverse("learning:show_briefing_report", kwargs={"briefing_id": worked.public_id})
        )

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Area A", "Area B", "All areas", "75%", "1.5 days", "2 days"):
        assert text in page, text


def test_the_report_page_lists_by_name_who_has_not_acknowledged(northshire, worked, client_for):
    with _at(dt.datetime(2026, 6, 9, 12, tzinfo=dt.UTC)):
        page = (
            client_for(northshire.lead)
            .get(reverse("learning:show_briefing_report", kwargs={"briefing_id": worked.public_id}))
            .content.decode()
        )

    waiting = BriefingAudience.objects.filter(briefing=worked, acknowledged_at__isnull=True)
    read = BriefingAudience.objects.filter(briefing=worked, acknowledged_at__isnull=False)
    assert "Not yet acknowledged" in page
    assert all(row.person.full_name in page for row in waiting)
    assert not any(row.person.full_name in page for row in read)
    assert all(row.person.staff_number in page for row in waiting)
