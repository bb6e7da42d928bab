"""Ofsted monitoring (STANDARDS.md §3): visits with a judgement per theme, our own judgements between visits,
measures bound to a theme, and each theme's readiness for the next visit."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from candour.assurance.models import (
    MeasureSnapshot,
    MonitoringTheme,
    MonitoringVisit,
    Progress,
    ThemeJudgement,
    ThemeMeasure,
)
from candour.assurance.queries.ofsted import theme_readiness
from candour.core.models import AuditEvent
from candour.people.roles import Role
from tests.support.factories import AreaFactory

L3 = "learning.safeguarding_children_l3_compliance"


@pytest.fixture
def client(client_for, lead):
    return client_for(lead)


@pytest.fixture
def safeguarding(db):
    return MonitoringTheme.objects.get(code="safeguarding")


def text(response) -> str:
    return html.unescape(response.content.decode())


def visit_data(day: dt.date, **judgements):
    data = {"visited_on_day": day.day, "visited_on_month": day.month, "visited_on_year": day.year}
    return data | {f"theme_{code}": progress for code, progress in judgements.items()}


ALL_THEMES = {"leadership": "reasonable", "training-quality": "reasonable", "safeguarding": "insufficient"}


def test_a_visit_is_recorded_with_a_judgement_per_theme(client):
    response = client.post(reverse("assurance:record_visit"), visit_data(dt.date(2026, 1, 15), **ALL_THEMES))

    assert response.status_code == 302
    visit = MonitoringVisit.objects.get()
    judged = dict(visit.judgements.values_list("theme__code", "progress"))
    assert judged == ALL_THEMES
    assert AuditEvent.objects.filter(action="recorded_monitoring_visit").exists()


def test_a_visit_needs_every_themes_judgement_and_writes_nothing_without(client):
    data = visit_data(dt.date(2026, 1, 15), leadership="reasonable", safeguarding="outstanding")

    response = client.post(reverse("assurance:record_visit"), data)

    assert response.status_code == 200
    assert text(response).count("Choose insufficient, reasonable or significant progress") >= 2
    assert not MonitoringVisit.objects.exists()


def test_our_own_judgement_needs_a_narrative(client, safeguarding):
    url = reverse("assurance:record_self_judgement", kwargs={"theme_code": "safeguarding"})

    refused = client.post(url, {"progress": "reasonable", "narrative": ""})
    assert "Enter narrative" in text(refused)
    assert not ThemeJudgement.objects.exists()

    assert (
        client.post(url, {"progress": "reasonable", "narrative": "Named contacts in place"}).status_code
        == 302
    )
    judgement = ThemeJudgement.objects.get()
    assert (judgement.visit, judgement.progress, judgement.is_self_judgement) == (None, "reasonable", True)


def test_a_theme_measure_must_be_registered(client, safeguarding):
    url = reverse("assurance:add_theme_measure", kwargs={"theme_code": "safeguarding"})

    refused = client.post(url, {"measure_key": "voice.nothing_like_this"})
    assert "No measure is registered with the key 'voice.nothing_like_this'" in text(refused)
    assert not ThemeMeasure.objects.exists()

    assert client.post(url, {"measure_key": L3}).status_code == 302
    again = client.post(url, {"measure_key": L3})
    assert "That measure is already bound to this theme" in text(again)
    assert ThemeMeasure.objects.count() == 1


def test_a_theme_measure_can_be_removed(client, safeguarding):
    bound = ThemeMeasure.objects.create(theme=safeguarding, measure_key=L3)

    client.post(reverse("assurance:remove_theme_measure", kwargs={"theme_measure_id": bound.public_id}))

    assert not ThemeMeasure.objects.exists()
    assert AuditEvent.objects.filter(action="removed_theme_measure").exists()


def test_readiness_gives_the_last_visit_our_latest_judgement_and_measures_since(trust, lead, safeguarding):
    earlier = MonitoringVisit.objects.create(visited_on=dt.date(2025, 1, 10), recorded_by=lead)
    last = MonitoringVisit.objects.create(visited_on=dt.date(2026, 2, 10), recorded_by=lead)
    for visit, progress in [(earlier, Progress.INSUFFICIENT), (last, Progress.REASONABLE)]:
        ThemeJudgement.objects.create(
            theme=safeguarding, visit=visit, progress=progress, judged_on=visit.visited_on, judged_by=lead
        )
    for day, progress in [
        (dt.date(2025, 6, 1), Progress.REASONABLE),
        (dt.date(2026, 4, 1), Progress.SIGNIFICANT),
    ]:
        ThemeJudgement.objects.create(
            theme=safeguarding, progress=progress, narrative="Ours", judged_on=day, judged_by=lead
        )
    ThemeMeasure.objects.create(theme=safeguarding, measure_key=L3)
    ThemeMeasure.objects.create(theme=safeguarding, measure_key="learning.retired_measure")
    MeasureSnapshot.objects.create(
        measure_key=L3, unit=trust, month=dt.date(2026, 3, 1), value=71.0, computed_at=dt.datetime.now(dt.UTC)
    )

    readiness = theme_readiness(safeguarding, on=dt.date(2026, 5, 20))

    assert readiness.last_visit == last
    assert readiness.visit_judgement.progress == Progress.REASONABLE
    assert readiness.self_judgement.progress == Progress.SIGNIFICANT
    assert [j.judged_on for j in readiness.self_judgements] == [dt.date(2026, 4, 1)]
    (series,) = readiness.series
    assert [p.period.start for p in series.points] == [dt.date(2026, m, 1) for m in (2, 3, 4, 5)]
    assert [p.value for p in series.points] == [None, 71.0, None, None]
    assert readiness.since == dt.date(2026, 2, 1)
    assert [b.measure_key for b in readiness.unregistered] == ["learning.retired_measure"]


def test_the_theme_page_shows_judgements_and_charts(client, lead, safeguarding):
    ThemeJudgement.objects.create(
        theme=safeguarding,
        progress=Progress.INSUFFICIENT,
        narrative="Apprentices still report harassment on placement",
        judged_on=dt.date.today(),
        judged_by=lead,
    )
    ThemeMeasure.objects.create(theme=safeguarding, measure_key=L3)

    page = text(client.get(reverse("assurance:show_theme", kwargs={"theme_code": "safeguarding"})))

    assert "Apprentices still report harassment on placement" in page
    assert "Insufficient progress" in page
    assert "Safeguarding children training compliance at level 3" in page


def test_an_area_scoped_lead_reads_but_cannot_record(make_user, client_for, trust):
    client = client_for(make_user(Role.QUALITY_LEAD, AreaFactory(parent=trust)))

    assert client.get(reverse("assurance:show_monitoring")).status_code == 200
    assert (
        client.post(
            reverse("assurance:record_visit"), visit_data(dt.date(2026, 1, 15), **ALL_THEMES)
        ).status_code
        == 403
    )
    assert not MonitoringVisit.objects.exists()


def test_staff_cannot_see_monitoring(make_user, client_for, trust):
    client = client_for(make_user(Role.STAFF, trust))

    assert client.get(reverse("assurance:show_monitoring")).status_code == 403
    assert (
        client.get(reverse("assurance:show_theme", kwargs={"theme_code": "safeguarding"})).status_code == 403
    )


def test_an_unknown_theme_is_not_found(client):
    assert client.get(reverse("assurance:show_theme", kwargs={"theme_code": "finance"})).status_code == 404
