"""Chasers: over real SMTP, at most one email per person per run and per CANDOUR_BRIEFING_CHASE_DAYS,
listing every unread briefing by title and link, never its text."""

# ruff: noqa: F811 - the fixtures imported from briefing_fixtures are asked for by name as parameters

import datetime as dt

import pytest
import time_machine

from candour.core import outbox
from candour.core.scheduling import parse_time_of_day, registered_jobs
from candour.learning.models import BriefingAudience, ReminderLog
from candour.learning.services import briefings as services
from candour.learning.tasks import briefings as tasks
from tests.learning.briefing_fixtures import northshire, people_at, publish  # noqa: F401 - fixtures

MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
BODY = "Ask who the child lives with, and record the answer"


def chase() -> int:
    """The daily job, then the worker sending what it queued."""
    queued = tasks.chase_unread_briefings.call()
    outbox.deliver_due()
    return queued


def _on(day: int):
    """Day `day` after Monday 2 March 2026, at 9am."""
    return time_machine.travel(MONDAY + dt.timedelta(days=day), tick=False)


@pytest.fixture
def chase_every_week(settings):
    settings.CANDOUR_BRIEFING_CHASE_DAYS = 7
    settings.CANDOUR_BASE_URL = "https://candour.example"


def test_chasers_wait_three_days_then_go_once_a_week(northshire, publish, smtp_server, chase_every_week):
    with _on(0):
        briefing = publish(roles=[northshire.paramedic_role], body=BODY)
    sent = {}
    for day in (0, 1, 2, 3, 4, 9, 10, 11):
        with _on(day):
            sent[day] = chase()

    assert sent == {0: 0, 1: 0, 2: 0, 3: 2, 4: 0, 9: 0, 10: 2, 11: 0}
    mails = smtp_server.to(northshire.paramedic.email)
    assert len(mails) == 2
    assert briefing.title in mails[0].body
    assert f"https://candour.example/briefings/{briefing.public_id}/" in mails[0].body
    assert "acknowledge by 16 March 2026" in mails[0].body
    assert "child lives with" not in mails[0].body.lower()
    assert BriefingAudience.objects.get(person=northshire.paramedic.person).last_chased_on == dt.date(
        2026, 3, 12
    )


def test_a_near_deadline_brings_the_first_chaser_forward(northshire, publish, smtp_server, chase_every_week):
    with _on(0):
        publish(roles=[northshire.paramedic_role], acknowledge_by=dt.date(2026, 3, 4))
    with _on(1):
        assert chase() == 2


def test_one_email_lists_all_unread_briefings_and_a_new_one_waits_for_the_week(
    northshire, publish, smtp_server, chase_every_week
):
    with _on(0):
        first = publish(title="Recognising child exploitation on scene", roles=[northshire.paramedic_role])
        second = publish(
            title="Domestic abuse: routine enquiry in the home", roles=[northshire.paramedic_role]
        )
    with _on(3):
        chase()
    with _on(4):
        # Due at once by its deadline, but the person was chased yesterday: it waits for their next chaser.
        third = publish(title="Sexual safety on placement", acknowledge_by=dt.date(2026, 3, 7))
        assert chase() == 3  # the technician and the two leads, never chased
    with _on(10):
        chase()

    mails = smtp_server.to(northshire.paramedic.email)
    assert len(mails) == 2
    assert first.title in mails[0].body and second.title in mails[0].body and third.title not in mails[0].body
    assert all(b.title in mails[1].body for b in (first, second, third))
    assert ReminderLog.objects.filter(person=northshire.paramedic.person).count() == 2


def test_only_unread_briefings_of_people_with_a_sign_in_are_chased(
    northshire, publish, smtp_server, chase_every_week
):
    people_at(northshire.a1, northshire.paramedic_role, 3)
    with _on(0):
        briefing = publish(roles=[northshire.paramedic_role])
        services.acknowledge_briefing(by=northshire.paramedic, briefing=briefing)
    northshire.paramedic_b.is_active = False
    northshire.paramedic_b.save()
    with _on(5):
        assert chase() == 0
    assert not smtp_server.messages


def test_the_chase_interval_is_a_setting(northshire, publish, smtp_server, settings):
    settings.CANDOUR_BRIEFING_CHASE_DAYS = 2
    with _on(0):
        publish(roles=[northshire.paramedic_role])
    for day in (3, 4, 5):
        with _on(day):
            chase()

    assert len(smtp_server.to(northshire.paramedic.email)) == 2


def test_chasers_are_scheduled_daily():
    [job] = [job for job in registered_jobs() if job.name == "learning.chase_unread_briefings"]

    assert job.schedule == parse_time_of_day("07:00")


def test_chasers_for_a_past_day_leave_out_briefings_published_later(northshire, publish, chase_every_week):
    with _on(0):
        first = publish(title="Published first", roles=[northshire.paramedic_role])
    with _on(5):
        publish(title="Published later", roles=[northshire.paramedic_role])

        chasers = services.chase_unread_briefings(today=dt.date(2026, 3, 5))

    assert {b.title for chaser in chasers for b in chaser.briefings} == {first.title}
